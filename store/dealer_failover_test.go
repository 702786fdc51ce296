package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
)

// TestFailDealerOverOnlyUnaccepted: the router's final-failure mark and
// dealer_failed ticket are written together, and only for a handoff never
// accepted: a dealer that started its session during the router's last
// failed attempt keeps the handoff.
func TestFailDealerOverOnlyUnaccepted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	at := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	for i, tc := range []struct {
		name   string
		before func(db *DB, id string) error
		open   bool // the handoff is opened at all
		want   bool
	}{
		{"waiting", nil, true, true},
		{"accepted meanwhile", func(db *DB, id string) error {
			_, err := db.MarkHandoffAccepted(ctx, id, at.Add(5*time.Second))
			return err
		}, true, false},
		{"ended meanwhile (a user's cancel)", func(db *DB, id string) error {
			_, err := db.CloseHandoff(ctx, id, "user_cancel", at.Add(5*time.Second))
			return err
		}, true, false},
		{"gone", nil, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, _ := openTestDB(t, Options{})
			key := fmt.Sprintf("u-failover%d", i)
			h := Handoff{ID: fmt.Sprintf("01HFAILOVER%d", i), Code: "F00" + fmt.Sprint(i), UserKey: key, Queue: "vip",
				Target: "dealer:acme", CreatedAt: at}
			if tc.open {
				w := &TurnWrite{User: User{Key: key, FirstSeen: at, LastSeen: at},
					Conv:        fsm.Conversation{UserKey: key, State: fsm.StateWaiting, HandoffID: h.ID, Queue: "vip"},
					Turn:        Turn{ID: NewID(at), UserKey: key, At: at, State: fsm.StateWaiting},
					OpenHandoff: &h}
				if err := db.Commit(ctx, w); err != nil {
					t.Fatalf("Commit: %v", err)
				}
			}
			if tc.before != nil {
				if err := tc.before(db, h.ID); err != nil {
					t.Fatal(err)
				}
			}
			tk := Ticket{ID: "T" + h.ID, HandoffID: h.ID, Reason: "dealer_failed", Detail: "dealer acme: 503", CreatedAt: at.Add(time.Minute)}
			failed, err := db.FailDealerOver(ctx, tk, "dealer:acme:failed", at.Add(time.Minute))
			if err != nil || failed != tc.want {
				t.Fatalf("FailDealerOver: got %v, %v; want %v", failed, err, tc.want)
			}
			again, err := db.FailDealerOver(ctx, tk, "dealer:acme:failed", at.Add(2*time.Minute))
			if err != nil || again != tc.want {
				t.Errorf("second FailDealerOver: got %v, %v; want %v", again, err, tc.want)
			}
			dealerFailed, err := db.DealerFailed(ctx, h.ID)
			if err != nil {
				t.Fatal(err)
			}
			var tickets int
			if err := db.r.QueryRow(`SELECT COUNT(*) FROM tickets WHERE handoff_id = ?`, h.ID).Scan(&tickets); err != nil {
				t.Fatal(err)
			}
			want := map[bool]int{true: 1, false: 0}[tc.want]
			if dealerFailed != tc.want || tickets != want {
				t.Errorf("got failed mark %v and %d tickets, want %v and %d", dealerFailed, tickets, tc.want, want)
			}
			if !tc.want {
				return
			}
			got, ok, err := db.TicketByID(ctx, tk.ID)
			if err != nil || !ok {
				t.Fatalf("TicketByID: got %v, %v", ok, err)
			}
			if got.UserKey != key || got.Queue != "vip" || got.Code != h.Code || got.Reason != "dealer_failed" {
				t.Errorf("got ticket %+v, want the handoff's user, queue and code with reason dealer_failed", got)
			}
		})
	}
}

// TestDealerAcceptYieldsToFailover: a dealer's accept (HandoffAccept
// ByDealer) of a handoff the router has failed over from it is refused with
// ErrFailedOver and writes nothing, in the turn's own transaction; an
// agent's accept of the same handoff (ByDealer false) goes through.
func TestDealerAcceptYieldsToFailover(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	at := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	const key = "u-accept-race"
	h := failedOverWaiting(t, db, key, "01HACCEPTRACE", at)
	accept := func(byDealer bool) *TurnWrite {
		u, conv, _, err := db.Load(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		conv.State = fsm.StateHuman
		return &TurnWrite{User: u, Conv: conv,
			AcceptHandoff: &HandoffAccept{ID: h.ID, At: at.Add(2 * time.Minute), FailedOver: true, ByDealer: byDealer}}
	}
	err := db.Commit(ctx, accept(true))
	if !errors.Is(err, ErrFailedOver) || !errors.Is(err, ErrConflict) {
		t.Fatalf("the dealer's accept: %v, want ErrFailedOver (an ErrConflict)", err)
	}
	got, _, err := db.Handoff(ctx, h.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, conv, _, err := db.Load(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if !got.AcceptedAt.IsZero() || conv.State != fsm.StateWaiting {
		t.Fatalf("after the refused accept: accepted_at %v, state %s; want unaccepted, waiting", got.AcceptedAt, conv.State)
	}
	if err := db.Commit(ctx, accept(false)); err != nil {
		t.Fatalf("an agent's accept of the failed-over handoff: %v", err)
	}
	if got, _, _ := db.Handoff(ctx, h.ID); got.AcceptedAt.IsZero() {
		t.Error("the agent's accept did not record accepted_at")
	}
}

// TestDealerEndYieldsToFailover: a dealer's end (HandoffEnd ByDealer) of a
// handoff the router has failed over from it is refused with ErrFailedOver
// and writes nothing, in the turn's own transaction; an agent's end of the
// same handoff (ByDealer false) goes through.
func TestDealerEndYieldsToFailover(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	at := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	const key = "u-end-race"
	h := failedOverWaiting(t, db, key, "01HENDRACE", at)
	end := func(byDealer bool) *TurnWrite {
		u, conv, _, err := db.Load(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		conv.State, conv.HandoffID = fsm.StateBot, ""
		return &TurnWrite{User: u, Conv: conv,
			EndHandoff: &HandoffEnd{ID: h.ID, Reason: "ended:agent", At: at.Add(2 * time.Minute), ByDealer: byDealer}}
	}
	err := db.Commit(ctx, end(true))
	if !errors.Is(err, ErrFailedOver) || !errors.Is(err, ErrConflict) {
		t.Fatalf("the dealer's end: %v, want ErrFailedOver (an ErrConflict)", err)
	}
	got, _, err := db.Handoff(ctx, h.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, conv, _, err := db.Load(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if !got.EndedAt.IsZero() || conv.State != fsm.StateWaiting {
		t.Fatalf("after the refused end: ended_at %v, state %s; want open, waiting", got.EndedAt, conv.State)
	}
	if err := db.Commit(ctx, end(false)); err != nil {
		t.Fatalf("an agent's end of the failed-over handoff: %v", err)
	}
	if got, _, _ := db.Handoff(ctx, h.ID); got.EndedAt.IsZero() {
		t.Error("the agent's end did not record ended_at")
	}
}

// failedOverWaiting commits user key waiting on a new handoff id to dealer
// acme at at, which the router fails over a minute later.
func failedOverWaiting(t *testing.T, db *DB, key, id string, at time.Time) Handoff {
	t.Helper()
	ctx := context.Background()
	h := Handoff{ID: id, Code: "R001", UserKey: key, Queue: "vip", Target: "dealer:acme", CreatedAt: at}
	open := &TurnWrite{User: User{Key: key, FirstSeen: at, LastSeen: at},
		Conv:        fsm.Conversation{UserKey: key, State: fsm.StateWaiting, HandoffID: h.ID, Queue: "vip"},
		Turn:        Turn{ID: NewID(at), UserKey: key, At: at, State: fsm.StateWaiting},
		OpenHandoff: &h}
	if err := db.Commit(ctx, open); err != nil {
		t.Fatal(err)
	}
	tk := Ticket{ID: "T" + h.ID, HandoffID: h.ID, Reason: "dealer_failed", Detail: "dealer acme: 503", CreatedAt: at.Add(time.Minute)}
	if failed, err := db.FailDealerOver(ctx, tk, "dealer:acme:failed", at.Add(time.Minute)); err != nil || !failed {
		t.Fatalf("FailDealerOver: %v, %v", failed, err)
	}
	return h
}
