package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestUserByPlusfriendKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	at := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	for i, key := range []string{"u-old", "u-new"} {
		w := testTurn(key, 0, at.Add(time.Duration(i)*time.Minute))
		w.User.PlusfriendKey = "pf-shared"
		if err := db.Commit(ctx, w); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		key, wantUser string
		wantOK        bool
	}{
		{"pf-shared", "u-new", true},
		{"pf-nobody", "", false},
		{"", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.key, func(t *testing.T) {
			u, ok, err := db.UserByPlusfriendKey(ctx, tc.key)
			if err != nil {
				t.Fatal(err)
			}
			if ok != tc.wantOK || u.Key != tc.wantUser {
				t.Fatalf("got %q %v, want %q %v", u.Key, ok, tc.wantUser, tc.wantOK)
			}
		})
	}
}

func TestDealerEventsDedupeAndPrune(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	at := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	if err := db.RecordDealerEvent(ctx, "happytalk", "ev-1", at); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		dealer, id string
		since      time.Time
		want       bool
	}{
		{"happytalk", "ev-1", at.Add(-24 * time.Hour), true},
		{"happytalk", "ev-1", at.Add(time.Millisecond), false}, // older than the window
		{"other", "ev-1", at.Add(-24 * time.Hour), false},      // ids are per dealer
		{"happytalk", "ev-2", at.Add(-24 * time.Hour), false},
	} {
		got, err := db.DealerEventSeen(ctx, tc.dealer, tc.id, tc.since)
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("seen %s/%s since %s: got %v, want %v", tc.dealer, tc.id, tc.since, got, tc.want)
		}
	}

	const old = 1203 // more than two prune chunks
	// Recorded from 32 goroutines, so the group commit writes them in
	// batches (one by one they took a second: a batch, and a sync, each).
	var wg sync.WaitGroup
	for w := range 32 {
		wg.Go(func() {
			for i := w; i < old; i += 32 {
				if err := db.RecordDealerEvent(ctx, "happytalk", fmt.Sprintf("old-%d", i), at.Add(-25*time.Hour)); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	n, err := db.PruneDealerEvents(ctx, at.Add(-24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if n != old {
		t.Fatalf("pruned %d, want %d", n, old)
	}
	if seen, _ := db.DealerEventSeen(ctx, "happytalk", "ev-1", time.Time{}); !seen {
		t.Fatal("a recent event was pruned")
	}
}

func TestExternalHandoffAcceptCloseAgent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	at := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	if err := db.Commit(ctx, testTurn("u-ext", 0, at)); err != nil {
		t.Fatal(err)
	}
	h := Handoff{ID: NewID(at), Code: "XY23", UserKey: "u-ext", Queue: "vip", Target: "dealer:happytalk",
		Reason: "external", CreatedAt: at}
	if err := db.OpenExternalHandoff(ctx, h); err != nil {
		t.Fatal(err)
	}
	second := h
	second.ID = NewID(at.Add(time.Second))
	if err := db.OpenExternalHandoff(ctx, second); !errors.Is(err, ErrConflict) {
		t.Fatalf("second open handoff: got %v, want ErrConflict", err)
	}
	for i, want := range []bool{true, false} {
		changed, err := db.MarkHandoffAccepted(ctx, h.ID, at.Add(time.Minute))
		if err != nil || changed != want {
			t.Fatalf("accept #%d: got %v (err %v), want %v", i+1, changed, err, want)
		}
	}
	for _, a := range []Agent{{ID: "a1", Name: "김상담", AssignedAt: at}, {ID: "a2", Name: "이상담", AssignedAt: at.Add(time.Second)}} {
		if ok, err := db.SetHandoffAgent(ctx, h.ID, a); err != nil || !ok {
			t.Fatalf("set agent %s: recorded %v, %v", a.ID, ok, err)
		}
	}
	a, ok, err := db.HandoffAgent(ctx, h.ID)
	if err != nil || !ok || a.ID != "a2" || a.Name != "이상담" {
		t.Fatalf("got agent %+v %v (err %v), want a2 이상담", a, ok, err)
	}
	for i, want := range []bool{true, false} {
		changed, err := db.CloseHandoff(ctx, h.ID, "ended:agent", at.Add(2*time.Minute))
		if err != nil || changed != want {
			t.Fatalf("close #%d: got %v (err %v), want %v", i+1, changed, err, want)
		}
	}
	got, ok, err := db.Handoff(ctx, h.ID)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if got.EndReason != "ended:agent" || !got.AcceptedAt.Equal(at.Add(time.Minute)) || !got.EndedAt.Equal(at.Add(2*time.Minute)) {
		t.Fatalf("got %+v, want accepted at +1m, ended:agent at +2m", got)
	}
	if _, open, _ := db.OpenHandoff(ctx, "u-ext"); open {
		t.Fatal("the external handoff is still open")
	}
}

// TestEscalationSupersedesExternalHandoff: an external handoff whose end
// Baton never heard of must not block the user's next escalation.
func TestEscalationSupersedesExternalHandoff(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	at := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	if err := db.Commit(ctx, testTurn("u-sup", 0, at)); err != nil {
		t.Fatal(err)
	}
	ext := Handoff{ID: NewID(at), Code: "EX23", UserKey: "u-sup", Queue: "vip", Target: "dealer:happytalk", Reason: "external", CreatedAt: at}
	if err := db.OpenExternalHandoff(ctx, ext); err != nil {
		t.Fatal(err)
	}
	w := testTurn("u-sup", 1, at.Add(time.Hour))
	w.OpenHandoff = &Handoff{ID: NewID(at.Add(time.Hour)), Code: "NEW2", Queue: "general", Target: "notify", Reason: "keyword", CreatedAt: at.Add(time.Hour)}
	if err := db.Commit(ctx, w); err != nil {
		t.Fatalf("escalation with an open external handoff: %v", err)
	}
	old, _, err := db.Handoff(ctx, ext.ID)
	if err != nil || old.EndReason != "superseded" || !old.EndedAt.Equal(at.Add(time.Hour)) {
		t.Fatalf("external handoff after the escalation: %+v (err %v), want ended as superseded", old, err)
	}
	open, ok, err := db.OpenHandoff(ctx, "u-sup")
	if err != nil || !ok || open.ID != w.OpenHandoff.ID {
		t.Fatalf("open handoff %+v %v (err %v), want the new one", open, ok, err)
	}
	// A Baton handoff still blocks a second one (one open per user).
	w2 := testTurn("u-sup", w.Conv.Version, at.Add(2*time.Hour))
	w2.OpenHandoff = &Handoff{ID: NewID(at.Add(2 * time.Hour)), Code: "NEW3", Queue: "general", Target: "notify", Reason: "keyword", CreatedAt: at.Add(2 * time.Hour)}
	if err := db.Commit(ctx, w2); !errors.Is(err, ErrConflict) {
		t.Fatalf("second Baton handoff: got %v, want ErrConflict", err)
	}
}

// TestCommitReturnsTheSupersededMessage: the message Superseded returns for
// the external handoff an escalation ends is queued in the outbox and
// returned by CommittedOutbox with the turn's own rows, numbered (Seq) like
// them, so the turn hands it to the relay; a turn rolled back returns none.
func TestCommitReturnsTheSupersededMessage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	at := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	if err := db.Commit(ctx, testTurn("u-sup-out", 0, at)); err != nil {
		t.Fatal(err)
	}
	ext := Handoff{ID: NewID(at), Code: "EX24", UserKey: "u-sup-out", Queue: "vip", Target: "dealer:happytalk", Reason: "external", CreatedAt: at}
	if err := db.OpenExternalHandoff(ctx, ext); err != nil {
		t.Fatal(err)
	}
	escalation := func(v int64, at time.Time) *TurnWrite {
		w := testTurn("u-sup-out", v, at)
		w.OpenHandoff = &Handoff{ID: NewID(at), Code: "NEW4", Queue: "general", Target: "notify", Reason: "keyword", CreatedAt: at}
		w.Outbox = []OutboxMsg{{Subject: "baton.handoff.req." + w.OpenHandoff.ID, Payload: []byte(w.OpenHandoff.ID)}}
		w.Superseded = func(id string, at time.Time) OutboxMsg {
			return OutboxMsg{Subject: "baton.handoff.evt." + id + ".superseded", Payload: []byte(id), CreatedAt: at}
		}
		return w
	}
	// A turn that fails after superseding is rolled back whole: nothing
	// superseded to hand over (and the external handoff stays open).
	failed := escalation(1, at.Add(time.Minute))
	failed.Ops = []Op{{Name: "touch nothing", SQL: `UPDATE handoffs SET code = code WHERE id = 'none'`, MustAffect: true}}
	if err := db.Commit(ctx, failed); !errors.Is(err, ErrConflict) {
		t.Fatalf("failing escalation: got %v, want ErrConflict", err)
	}
	if got := failed.CommittedOutbox(); len(got) != 1 || got[0].Subject != failed.Outbox[0].Subject {
		t.Fatalf("rolled-back turn: CommittedOutbox %+v, want only its own row", got)
	}
	if _, open, err := db.OpenHandoff(ctx, "u-sup-out"); err != nil || !open {
		t.Fatalf("after the rolled-back turn: open handoff %v (err %v), want the external one still open", open, err)
	}

	w := escalation(1, at.Add(time.Hour))
	if err := db.Commit(ctx, w); err != nil {
		t.Fatal(err)
	}
	got := w.CommittedOutbox()
	var subjects []string
	for _, m := range got {
		subjects = append(subjects, m.Subject)
		if m.Seq == 0 || m.ID == "" {
			t.Errorf("handed row %s: Seq %d, id %q, want both set", m.Subject, m.Seq, m.ID)
		}
	}
	want := []string{"baton.handoff.evt." + ext.ID + ".superseded", "baton.handoff.req." + w.OpenHandoff.ID}
	if !slices.Equal(subjects, want) {
		t.Fatalf("CommittedOutbox subjects: got %v, want %v", subjects, want)
	}
	pending, err := db.PendingOutbox(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range pending {
		ids = append(ids, m.ID)
	}
	for _, m := range got {
		if !slices.Contains(ids, m.ID) {
			t.Errorf("handed row %s (%s) is not in the outbox %v", m.ID, m.Subject, ids)
		}
	}
}

// TestSetHandoffAgentOnlyWhileOpenAndNotFailedOver: the dealer's agent is
// recorded only on an open handoff the router has not failed over from its
// dealer (docs/dealer-contract.md §2.3, §3.2), whether the write races the
// end or the failover or comes after; the failover also drops an agent the
// dealer assigned before it.
func TestSetHandoffAgentOnlyWhileOpenAndNotFailedOver(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	at := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	open := func(user, code string) Handoff {
		if err := db.Commit(ctx, testTurn(user, 0, at)); err != nil {
			t.Fatal(err)
		}
		h := Handoff{ID: NewID(at), Code: code, UserKey: user, Queue: "vip", Target: "dealer:acme", Reason: "external", CreatedAt: at}
		if err := db.OpenExternalHandoff(ctx, h); err != nil {
			t.Fatal(err)
		}
		return h
	}
	agent := Agent{ID: "a1", Name: "김상담", AssignedAt: at}
	noAgent := func(what, id string) {
		t.Helper()
		if a, ok, err := db.HandoffAgent(ctx, id); err != nil || ok {
			t.Errorf("%s: agent %+v recorded (%v, %v), want none", what, a, ok, err)
		}
	}

	ended := open("u-ended", "EN01")
	if _, err := db.CloseHandoff(ctx, ended.ID, "wait_timeout", at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if ok, err := db.SetHandoffAgent(ctx, ended.ID, agent); err != nil || ok {
		t.Errorf("agent on an ended handoff: recorded %v, %v; want false", ok, err)
	}
	noAgent("ended", ended.ID)

	failed := open("u-failed", "FO01")
	if ok, err := db.SetHandoffAgent(ctx, failed.ID, agent); err != nil || !ok {
		t.Fatalf("agent on an open handoff: recorded %v, %v", ok, err)
	}
	tk := Ticket{ID: "T" + failed.ID, HandoffID: failed.ID, Reason: "dealer_failed", CreatedAt: at.Add(time.Minute)}
	if ok, err := db.FailDealerOver(ctx, tk, "dealer:acme:failed", at.Add(time.Minute)); err != nil || !ok {
		t.Fatalf("FailDealerOver: %v, %v", ok, err)
	}
	noAgent("the agent assigned before the failover", failed.ID)
	if ok, err := db.SetHandoffAgent(ctx, failed.ID, agent); err != nil || ok {
		t.Errorf("agent on a failed-over handoff: recorded %v, %v; want false", ok, err)
	}
	noAgent("failed over", failed.ID)

	if ok, err := db.SetHandoffAgent(ctx, "01HNOSUCHHANDOFF", agent); err != nil || ok {
		t.Errorf("agent on an unknown handoff: recorded %v, %v; want false and no error", ok, err)
	}
}
