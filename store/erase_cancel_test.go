package store_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
)

// TestOweErasureCancels checks which dealer handoffs of a user being erased
// are owed a cancel (the open one, and ended ones whose cancel was never
// delivered), that asking twice owes nothing more, and that the erasure
// itself leaves the owed cancels and their outbox messages in place.
func TestOweErasureCancels(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testutil.Store(t)
	at := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	u := testutil.SeedUser(t, db, "erase-dealer-5d2e", at)
	ended := at.Add(-time.Hour)
	const (
		cancelled = "01KCANCELLEDNOTTOLD0000000"
		told      = "01KTIMEDOUTTOLD00000000000"
		agentEnd  = "01KENDEDBYAGENT00000000000"
		notify    = "01KNOTIFYCANCELLED00000000"
	)
	err := db.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`UPDATE handoffs SET target = 'dealer:happytalk' WHERE id = ?`, u.HandoffID); err != nil {
			return err
		}
		for _, h := range []struct{ id, target, reason string }{
			{cancelled, "dealer:happytalk", "user_cancel"},
			{told, "dealer:happytalk", "wait_timeout"},
			{agentEnd, "dealer:happytalk", "ended:agent"},
			{notify, "notify", "user_cancel"},
		} {
			if _, err := tx.Exec(`INSERT INTO handoffs (id, code, user_key, queue, target, created_at, ended_at, end_reason)
				VALUES (?, 'C0DE', ?, 'vip', ?, ?, ?, ?)`, h.id, u.Key, h.target, ended.UnixMilli(), ended.UnixMilli(), h.reason); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.MarkDelivered(ctx, told, "dealer:happytalk:cancel", ended); err != nil {
		t.Fatal(err)
	}
	subject := func(id string, at time.Time) store.OutboxMsg {
		return store.OutboxMsg{Subject: "test.erased." + id, Payload: []byte(id), CreatedAt: at}
	}
	now := at.Add(time.Minute)
	owed, err := db.OweErasureCancels(ctx, u.Key, "user_erased", now, subject)
	if err != nil {
		t.Fatalf("OweErasureCancels: %v", err)
	}
	type cancel struct {
		Handoff, Code, Dealer, Reason string
		At                            time.Time
	}
	var got []cancel
	for _, c := range owed {
		got = append(got, cancel{c.Handoff, c.Code, c.Dealer, c.Reason, c.At.UTC()})
	}
	want := []cancel{
		{cancelled, "C0DE", "happytalk", "user_cancel", ended},
		{u.HandoffID, "K7Q2", "happytalk", "user_erased", now},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("owed cancels (-want +got):\n%s", diff)
	}
	if again, err := db.OweErasureCancels(ctx, u.Key, "user_erased", now, subject); err != nil || len(again) != 0 {
		t.Fatalf("OweErasureCancels again: got %d cancels, err %v; want none", len(again), err)
	}
	if _, err := db.EraseUser(ctx, u.Key); err != nil {
		t.Fatalf("EraseUser: %v", err)
	}
	for _, c := range owed {
		back, ok, err := db.ErasureCancelByID(ctx, c.ID)
		if err != nil || !ok {
			t.Fatalf("owed cancel %s after the erasure: got found=%v err=%v, want it kept", c.ID, ok, err)
		}
		if back.Handoff != c.Handoff || back.Reason != c.Reason || !back.At.Equal(c.At) {
			t.Errorf("owed cancel after the erasure: got %+v, want %+v", back, c)
		}
		var n int
		if err := db.ReadDB().QueryRow(`SELECT COUNT(*) FROM outbox WHERE subject = ?`, "test.erased."+c.ID).Scan(&n); err != nil || n != 1 {
			t.Errorf("outbox message of owed cancel %s after the erasure: got %d (err %v), want 1", c.ID, n, err)
		}
	}
	if err := db.DropErasureCancel(ctx, owed[0].ID); err != nil {
		t.Fatalf("DropErasureCancel: %v", err)
	}
	if _, ok, err := db.ErasureCancelByID(ctx, owed[0].ID); err != nil || ok {
		t.Errorf("dropped cancel: got found=%v err=%v, want gone", ok, err)
	}
	// One the router never sent goes with retention.handoffs.
	keep := store.Retention{Handoffs: 90 * 24 * time.Hour}
	for _, tc := range []struct {
		at   time.Time
		kept bool
	}{{now.Add(89 * 24 * time.Hour), true}, {now.Add(91 * 24 * time.Hour), false}} {
		if _, err := db.Prune(ctx, tc.at, keep); err != nil {
			t.Fatalf("Prune: %v", err)
		}
		if _, ok, err := db.ErasureCancelByID(ctx, owed[1].ID); err != nil || ok != tc.kept {
			t.Errorf("owed cancel after Prune at %s: got found=%v err=%v, want %v", tc.at, ok, err, tc.kept)
		}
	}
}
