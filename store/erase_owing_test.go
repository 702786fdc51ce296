package store_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
)

// TestEraseUserOwingIsAtomic checks that the dealer cancels an erasure owes
// commit with the erasure or not at all: an erasure failing at its last
// delete leaves no owed cancel and no outbox message behind (and the
// handoff in place), and one that commits keeps both, its outbox message
// surviving the erasure's own outbox delete though it names the handoff.
func TestEraseUserOwingIsAtomic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testutil.Store(t)
	at := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	u := testutil.SeedUser(t, db, "erase-owing-7c1a", at)
	exec := func(q string, args ...any) {
		t.Helper()
		if err := db.Write(ctx, func(tx *sql.Tx) error {
			_, err := tx.Exec(q, args...)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	exec(`UPDATE handoffs SET target = 'dealer:happytalk' WHERE id = ?`, u.HandoffID)
	// The erasure's last delete fails, after the cancels were recorded.
	exec(`CREATE TRIGGER refuse_erasure BEFORE DELETE ON users BEGIN SELECT RAISE(ABORT, 'refused'); END`)
	// The message names the handoff (in a header), as the rows the erasure's
	// outbox delete removes do: it must survive anyway.
	owe := store.CancelOwe{Reason: "user_erased", Now: at.Add(time.Minute), Msg: func(id string, at time.Time) store.OutboxMsg {
		return store.OutboxMsg{ID: store.NewID(at), Subject: "test.erased." + id, Payload: []byte(id),
			Headers: map[string]string{"Test-Handoff": u.HandoffID}, CreatedAt: at}
	}}
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := db.ReadDB().QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	if _, err := db.EraseUserOwing(ctx, u.Key, owe); err == nil {
		t.Fatal("EraseUserOwing with the users delete refused: got no error, want one")
	}
	if got := count(`SELECT COUNT(*) FROM erasure_cancels`); got != 0 {
		t.Errorf("owed cancels after a failed erasure: got %d, want 0", got)
	}
	if got := count(`SELECT COUNT(*) FROM outbox WHERE subject LIKE 'test.erased.%'`); got != 0 {
		t.Errorf("cancel outbox messages after a failed erasure: got %d, want 0", got)
	}
	if got := count(`SELECT COUNT(*) FROM handoffs WHERE id = ?`, u.HandoffID); got != 1 {
		t.Errorf("handoff rows after a failed erasure: got %d, want 1", got)
	}

	exec(`DROP TRIGGER refuse_erasure`)
	e, err := db.EraseUserOwing(ctx, u.Key, owe)
	if err != nil {
		t.Fatalf("EraseUserOwing: %v", err)
	}
	if len(e.Cancels) != 1 || e.Cancels[0].Handoff != u.HandoffID || e.Cancels[0].Reason != "user_erased" {
		t.Fatalf("owed cancels: got %+v, want one user_erased cancel of %s", e.Cancels, u.HandoffID)
	}
	if got := count(`SELECT COUNT(*) FROM handoffs WHERE id = ?`, u.HandoffID); got != 0 {
		t.Errorf("handoff rows after the erasure: got %d, want 0", got)
	}
	if _, ok, err := db.ErasureCancelByID(ctx, e.Cancels[0].ID); err != nil || !ok {
		t.Errorf("owed cancel after the erasure: got found=%v err=%v, want it kept", ok, err)
	}
	if got := count(`SELECT COUNT(*) FROM outbox WHERE subject = ? AND CAST(payload AS TEXT) = ?`,
		"test.erased."+e.Cancels[0].ID, e.Cancels[0].ID); got != 1 {
		t.Errorf("outbox message of the owed cancel after the erasure: got %d, want 1", got)
	}
}
