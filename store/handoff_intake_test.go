package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
	"github.com/google/go-cmp/cmp"
)

// testBox is a ContactBox with a fixed test key.
func testBox(t testing.TB) *store.ContactBox {
	t.Helper()
	box, err := store.NewContactBox(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return box
}

// addIntake runs AddIntakeOp through the writer, answered now.
func addIntake(t testing.TB, db *store.DB, box *store.ContactBox, handoffID, userKey, name, value string) {
	t.Helper()
	addIntakeAt(t, db, box, handoffID, userKey, name, value, time.Now())
}

func addIntakeAt(t testing.TB, db *store.DB, box *store.ContactBox, handoffID, userKey, name, value string, at time.Time) {
	t.Helper()
	op, err := box.AddIntakeOp(handoffID, userKey, name, value, name == "phone", at)
	if err != nil {
		t.Fatal(err)
	}
	runOp(t, db, op)
}

func runOp(t testing.TB, db *store.DB, op store.Op) {
	t.Helper()
	ctx := context.Background()
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, op.SQL, op.Args...)
		return err
	}); err != nil {
		t.Fatalf("%s: %v", op.Name, err)
	}
}

// TestHandoffIntakeRoundTrip: answers are sealed at rest, read back in the
// order given with their pii mark, replaced when a field is answered again,
// bound to their handoff and field, and discarded only while no handoff
// holds them.
func TestHandoffIntakeRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testutil.Store(t)
	box := testBox(t)
	at := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	addIntakeAt(t, db, box, "h1", "u1", "order", "A-0001", at)
	addIntakeAt(t, db, box, "h1", "u1", "phone", "010-1234-5678", at.Add(time.Second))
	addIntakeAt(t, db, box, "h1", "u1", "order", "A-1001", at.Add(2*time.Second)) // answered again: now the latest
	addIntake(t, db, box, "h2", "u1", "order", "Z-9999")

	got, err := db.HandoffIntake(ctx, box, "h1")
	if err != nil {
		t.Fatal(err)
	}
	want := []store.IntakeValue{{Name: "phone", Value: "010-1234-5678", PII: true}, {Name: "order", Value: "A-1001"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("HandoffIntake (-want +got):\n%s", diff)
	}
	if hits := testutil.FindInTables(t, db.ReadDB(), "1234-5678"); len(hits) > 0 {
		t.Errorf("an answer is stored in the clear in %v", hits)
	}

	// A ciphertext moved to another field does not open.
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE handoff_intake SET name = 'note' WHERE handoff_id = 'h2'`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got, err := db.HandoffIntake(ctx, box, "h2"); !errors.Is(err, store.ErrUnreadable) || len(got) != 0 {
		t.Errorf("HandoffIntake of a moved ciphertext: got %v, %v; want nothing and ErrUnreadable", got, err)
	}
	// Another key opens nothing, and says so, without failing the read.
	other, err := store.NewContactBox(bytes.Repeat([]byte{8}, 32))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := db.HandoffIntake(ctx, other, "h1"); !errors.Is(err, store.ErrUnreadable) || len(got) != 0 {
		t.Errorf("HandoffIntake with another key: got %v, %v; want nothing and ErrUnreadable", got, err)
	}

	// Discard removes the answers of an intake without a handoff only.
	now := time.Now()
	if err := db.Commit(ctx, &store.TurnWrite{
		User: store.User{Key: "u1", FirstSeen: now, LastSeen: now},
		Conv: fsm.Conversation{UserKey: "u1", State: fsm.StateWaiting, HandoffID: "h1", Queue: "vip"},
		Turn: store.Turn{ID: store.NewID(now), UserKey: "u1", At: now},
		OpenHandoff: &store.Handoff{ID: "h1", Code: "A7K2", UserKey: "u1", Queue: "vip", Target: "dealer:x",
			Reason: "menu", CreatedAt: now},
	}); err != nil {
		t.Fatal(err)
	}
	runOp(t, db, store.DiscardIntakeOp("h1"))
	runOp(t, db, store.DiscardIntakeOp("h2"))
	for id, want := range map[string]int{"h1": 2, "h2": 0} {
		var n int
		if err := db.ReadDB().QueryRow(`SELECT COUNT(*) FROM handoff_intake WHERE handoff_id = ?`, id).Scan(&n); err != nil || n != want {
			t.Errorf("after discard, %s: got %d rows (%v), want %d", id, n, err, want)
		}
	}
}
