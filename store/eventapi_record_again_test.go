package store

import (
	"context"
	"testing"
	"time"
)

// TestFailEventSendAgainLeavesALaterSendAlone: recording a refusal again
// (the deliverer retries a record whose commit it could not confirm) on a
// send already closed changes nothing: in particular not its notification,
// which a later send has taken and is sending; moved back to pending, it
// would be sent a second time.
func TestFailEventSendAgainLeavesALaterSendAlone(t *testing.T) {
	t.Parallel()
	db, _ := openTestDB(t, Options{})
	ctx := context.Background()
	now := time.Now()
	if err := db.Commit(ctx, testTurn("again-1", 0, now)); err != nil {
		t.Fatal(err)
	}
	n := &Notification{UserKey: "again-1", Kind: NotifyReopen}
	if err := db.AddNotification(ctx, n); err != nil {
		t.Fatal(err)
	}
	first := &EventSend{ID: NewID(now), BotID: "bot", Event: "ev", Day: "2026-11-22", ReservedWon: 15, CreatedAt: now}
	if err := db.BeginEventSend(ctx, first, []EventItem{{n.ID, "again-1"}}, 1000); err != nil {
		t.Fatal(err)
	}
	if err := db.FailEventSend(ctx, first.ID, "status 503", now, 3, now); err != nil {
		t.Fatal(err)
	}
	later := now.Add(time.Second)
	second := &EventSend{ID: NewID(later), BotID: "bot", Event: "ev", Day: "2026-11-22", ReservedWon: 15, CreatedAt: later}
	if err := db.BeginEventSend(ctx, second, []EventItem{{n.ID, "again-1"}}, 1000); err != nil {
		t.Fatal(err)
	}
	if err := db.FailEventSend(ctx, first.ID, "status 503", now, 3, later); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := db.Notification(ctx, n.ID); got.Status != NotificationSent || got.Detail != "send "+second.ID {
		t.Fatalf("got %s (%s), want sent in the second send", got.Status, got.Detail)
	}
	if s, _, _ := db.EventSendByID(ctx, second.ID); s.Status != EventSendSending {
		t.Fatalf("the second send: got %s, want sending", s.Status)
	}
	if r, sp, _ := db.EventSpend(ctx, "2026-11-22"); r != 15 || sp != 0 {
		t.Fatalf("got reserved %d spent %d, want the second send's 15 reserved", r, sp)
	}
}
