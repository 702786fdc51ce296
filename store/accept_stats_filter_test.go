package store

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
)

// openVIPWait commits user key waiting on handoff id of dealer queue vip,
// created at at.
func openVIPWait(t *testing.T, db *DB, key, id string, at time.Time) Handoff {
	t.Helper()
	h := Handoff{ID: id, Code: "Z" + id[len(id)-3:], UserKey: key, Queue: "vip", Target: "dealer:acme", CreatedAt: at}
	w := &TurnWrite{User: User{Key: key, FirstSeen: at, LastSeen: at},
		Conv:        fsm.Conversation{UserKey: key, State: fsm.StateWaiting, HandoffID: h.ID, Queue: "vip"},
		Turn:        Turn{ID: NewID(at), UserKey: key, At: at, State: fsm.StateWaiting},
		OpenHandoff: &h}
	if err := db.Commit(context.Background(), w); err != nil {
		t.Fatalf("Commit %s: %v", key, err)
	}
	return h
}

// TestAcceptStatsLeaveOutFailedOver: a dealer handoff the router
// failed over to the notify sinks is no longer the dealer's (design §6: "A
// failed-over handoff is no longer the dealer's"; §5: "the handoff no longer
// counts in the queue"). When an agent accepts it from the sinks, that agent
// works it outside the chat and it stays open up to one_on_one_idle (24 h).
// The waiting ETA is "the median wait of the queue's last 20 acceptances
// ... times ceil(position / sessions its agents hold now)" (README, "Waiting
// and tickets"): the failed-over handoff is neither an acceptance by the
// queue's agents nor a session they hold. AcceptStats must leave it out
// (as WaitingAhead and WaitingCount do, with sqlNotFailedOver).
//
// It used to be counted as a sample and, for up to 24 h, as a parallel
// session of the dealer's agents, so every waiting user's ETA was divided
// by one more "agent" than the dealer has (here: two instead of one,
// halving the ETA of position 2).
func TestAcceptStatsLeaveOutFailedOver(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	at := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)

	// Three handoffs the dealer accepted after 10 minutes each; the last is
	// still in session (one agent busy).
	for i := range 3 {
		h := openVIPWait(t, db, fmt.Sprintf("u-as-d%d", i), fmt.Sprintf("01HASD00%d", i), at.Add(time.Duration(i)*time.Minute))
		if _, err := db.MarkHandoffAccepted(ctx, h.ID, h.CreatedAt.Add(10*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if i < 2 {
			if err := db.Write(ctx, func(tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, `UPDATE handoffs SET ended_at = ?, end_reason = 'ended' WHERE id = ?`,
					h.CreatedAt.Add(20*time.Minute).UnixMilli(), h.ID)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// A handoff the router failed over (dealer down), then accepted by an
	// agent from the notify sinks (ByDealer false): open, worked outside.
	f := failedOverWaiting(t, db, "u-as-f", "01HASF000", at.Add(5*time.Minute))
	u, conv, _, err := db.Load(ctx, "u-as-f")
	if err != nil {
		t.Fatal(err)
	}
	conv.State = fsm.StateHuman
	if err := db.Commit(ctx, &TurnWrite{User: u, Conv: conv,
		AcceptHandoff: &HandoffAccept{ID: f.ID, At: f.CreatedAt.Add(4 * time.Minute), FailedOver: true}}); err != nil {
		t.Fatalf("agent accept of the failed-over handoff: %v", err)
	}

	st, err := db.AcceptStats(ctx, "vip", at.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if st.Serving != 1 || st.Samples != 3 || st.Median != 10*time.Minute {
		t.Errorf("AcceptStats(vip) = %+v; want Serving 1, Samples 3, Median 10m: the failed-over handoff an agent took from the notify sinks is not the dealer queue's", st)
	}
}

// TestAcceptStatsLeaveOutExternal: an external handoff (a
// dealer session the user reached through the channel's own 상담 menu,
// design §6) is created by the dealer event itself and accepted at once
// (handoff.DealerEvents.openExternal then started: created_at and
// accepted_at are both d.Now()). It never waited in Baton's queue, so its
// "wait" of ~0 is no sample of how long the queue takes to serve a waiting
// user (README: "an ETA: the median wait of the queue's last 20
// acceptances"). AcceptStats must leave reason 'external' out of the
// median's samples.
//
// Four external sessions next to three real 10-minute waits used to make
// the median 0, and skill.EstimateWait then showed "확인 중" to every
// waiting user although the queue had its three real acceptances (with a
// few ms of wait instead of 0 it would show "약 1분" for a 10-minute
// queue).
func TestAcceptStatsLeaveOutExternal(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	at := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)

	for i := range 3 {
		h := openVIPWait(t, db, fmt.Sprintf("u-as-w%d", i), fmt.Sprintf("01HASW00%d", i), at.Add(time.Duration(i)*time.Minute))
		if _, err := db.MarkHandoffAccepted(ctx, h.ID, h.CreatedAt.Add(10*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 4 {
		key := fmt.Sprintf("u-as-x%d", i)
		now := at.Add(20*time.Minute + time.Duration(i)*time.Minute)
		if err := db.Commit(ctx, &TurnWrite{User: User{Key: key, FirstSeen: now, LastSeen: now},
			Conv: fsm.Conversation{UserKey: key, State: fsm.StateBot},
			Turn: Turn{ID: NewID(now), UserKey: key, At: now, State: fsm.StateBot}}); err != nil {
			t.Fatal(err)
		}
		h := Handoff{ID: fmt.Sprintf("01HASX00%d", i), Code: fmt.Sprintf("X00%d", i), UserKey: key, Queue: "vip",
			Target: "dealer:acme", Reason: "external", CreatedAt: now}
		if err := db.OpenExternalHandoff(ctx, h); err != nil {
			t.Fatal(err)
		}
		if _, err := db.MarkHandoffAccepted(ctx, h.ID, now); err != nil {
			t.Fatal(err)
		}
	}

	st, err := db.AcceptStats(ctx, "vip", at.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if st.Samples != 3 || st.Median != 10*time.Minute {
		t.Errorf("AcceptStats(vip) = %+v; want Samples 3, Median 10m: external sessions never waited in the queue", st)
	}
}
