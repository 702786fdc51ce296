package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestTurnOpsCommitWithTheTurn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	now := time.Now()
	if err := db.Commit(ctx, testTurn("u-ops", 0, now)); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	n := &Notification{UserKey: "u-ops", Kind: NotifyReopen, Ref: "general", CreatedAt: now, NotBefore: now.Add(time.Hour)}
	w := testTurn("u-ops", 1, now)
	w.Ops = []Op{AddNotificationOp(n)}
	w.Outbox = []OutboxMsg{{Subject: "baton.timer.sched.reopen.u-ops", Payload: []byte("u-ops"),
		Headers: map[string]string{"Nats-Schedule": "@at 2026-01-01T00:00:00Z", "Nats-Schedule-Target": "baton.timer.fire.reopen.u-ops"}}}
	if err := db.Commit(ctx, w); err != nil {
		t.Fatalf("Commit with ops: %v", err)
	}
	if got, err := db.Notifications(ctx, NotificationPending, now, 10); err != nil || len(got) != 0 {
		t.Errorf("Notifications due now: got %v, %v; want none before not_before", got, err)
	}
	got, err := db.Notifications(ctx, NotificationPending, now.Add(time.Hour), 10)
	if err != nil || len(got) != 1 || got[0].ID != n.ID || got[0].Kind != NotifyReopen || got[0].Ref != "general" {
		t.Fatalf("Notifications due in an hour: got %+v, %v; want %s", got, err, n.ID)
	}
	msgs, err := db.PendingOutbox(ctx, 10)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("PendingOutbox: got %d, %v; want 1", len(msgs), err)
	}
	if diff := cmp.Diff(w.Outbox[0].Headers, msgs[0].Headers); diff != "" {
		t.Errorf("outbox headers (-put +read):\n%s", diff)
	}
	if ok, err := db.MarkNotification(ctx, n.ID, NotificationSent, "", now); err != nil || !ok {
		t.Errorf("MarkNotification: %v, %v; want true", ok, err)
	}
	if ok, err := db.MarkNotification(ctx, n.ID, NotificationSent, "", now); err != nil || ok {
		t.Errorf("MarkNotification again: %v, %v; want false", ok, err)
	}
}

func TestTurnOpMustAffectRollsBackOnlyThatTurn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	now := time.Now()
	for _, k := range []string{"u-a", "u-b"} {
		if err := db.Commit(ctx, testTurn(k, 0, now)); err != nil {
			t.Fatalf("Commit %s: %v", k, err)
		}
	}
	bad := testTurn("u-a", 1, now)
	bad.Ops = []Op{{Name: "close missing", SQL: `UPDATE tickets SET status = 'closed' WHERE id = ?`, Args: []any{"nope"}, MustAffect: true}}
	good := testTurn("u-b", 1, now)
	errs := make(chan error, 2)
	go func() { errs <- db.Commit(ctx, bad) }()
	go func() { errs <- db.Commit(ctx, good) }()
	var conflicts int
	for range 2 {
		if err := <-errs; errors.Is(err, ErrConflict) {
			conflicts++
		} else if err != nil {
			t.Errorf("Commit: %v", err)
		}
	}
	if conflicts != 1 {
		t.Fatalf("conflicts: got %d, want 1 (the op that changed nothing)", conflicts)
	}
	if _, c, _, err := db.Load(ctx, "u-a"); err != nil || c.Version != 1 {
		t.Errorf("u-a after its failed op: version %d, err %v; want 1 (turn rolled back)", c.Version, err)
	}
	if _, c, _, err := db.Load(ctx, "u-b"); err != nil || c.Version != 2 {
		t.Errorf("u-b: version %d, err %v; want 2", c.Version, err)
	}
}
