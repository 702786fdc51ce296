package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestBeginEventSendIsAllOrNothing(t *testing.T) {
	t.Parallel()
	db, _ := openTestDB(t, Options{})
	ctx := context.Background()
	now := time.Now()
	for _, k := range []string{"e1", "e2"} {
		if err := db.Commit(ctx, testTurn(k, 0, now)); err != nil {
			t.Fatal(err)
		}
	}
	a := &Notification{UserKey: "e1", Kind: NotifyReopen}
	b := &Notification{UserKey: "e2", Kind: NotifyReopen}
	for _, n := range []*Notification{a, b} {
		if err := db.AddNotification(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.MarkNotification(ctx, b.ID, NotificationSkipped, "test", now); err != nil {
		t.Fatal(err)
	}
	items := []EventItem{{a.ID, "e1"}, {b.ID, "e2"}}

	// Over the budget: nothing is written.
	s := &EventSend{ID: NewID(now), BotID: "bot", Event: "ev", Day: "2026-11-22", ReservedWon: 30, CreatedAt: now}
	if err := db.BeginEventSend(ctx, s, items, 29); !errors.Is(err, ErrOverBudget) {
		t.Fatalf("got %v, want ErrOverBudget", err)
	}
	// One notification is no longer pending: the whole send is rolled back.
	if err := db.BeginEventSend(ctx, s, items, 1000); !errors.Is(err, ErrConflict) {
		t.Fatalf("got %v, want ErrConflict", err)
	}
	if n, _, _ := db.Notification(ctx, a.ID); n.Status != NotificationPending {
		t.Fatalf("got %s, want the other notification still pending", n.Status)
	}
	if _, ok, _ := db.EventSendByID(ctx, s.ID); ok {
		t.Fatal("a rolled-back send was stored")
	}
	if r, sp, _ := db.EventSpend(ctx, s.Day); r != 0 || sp != 0 {
		t.Fatalf("got reserved %d spent %d, want nothing", r, sp)
	}
}

func TestFailEventSendRetriesAtMostMaxAttempts(t *testing.T) {
	t.Parallel()
	db, _ := openTestDB(t, Options{})
	ctx := context.Background()
	now := time.Now()
	if err := db.Commit(ctx, testTurn("f1", 0, now)); err != nil {
		t.Fatal(err)
	}
	n := &Notification{UserKey: "f1", Kind: NotifyReopen}
	if err := db.AddNotification(ctx, n); err != nil {
		t.Fatal(err)
	}
	for attempt := 1; attempt <= 3; attempt++ {
		s := &EventSend{ID: NewID(now), BotID: "bot", Event: "ev", Day: "2026-11-22", ReservedWon: 15, CreatedAt: now}
		if err := db.BeginEventSend(ctx, s, []EventItem{{n.ID, "f1"}}, 1000); err != nil {
			t.Fatalf("attempt %d: %v", attempt, err)
		}
		if err := db.FailEventSend(ctx, s.ID, "status 503", now, 3, now); err != nil {
			t.Fatal(err)
		}
		got, _, _ := db.Notification(ctx, n.ID)
		want := NotificationPending
		if attempt == 3 {
			want = NotificationFailed
		}
		if got.Status != want {
			t.Fatalf("after attempt %d: got %s, want %s", attempt, got.Status, want)
		}
	}
	if r, sp, _ := db.EventSpend(ctx, "2026-11-22"); r != 0 || sp != 0 {
		t.Fatalf("got reserved %d spent %d, want refused calls to hold nothing", r, sp)
	}
}
