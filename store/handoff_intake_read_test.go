package store_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
	"github.com/google/go-cmp/cmp"
)

// TestHandoffIntakeFieldsAndPublic: the fields of a handoff are listed with
// their pii mark and answer time without a key; HandoffIntakePublic opens
// only the fields not marked pii, so a pii field sealed under another key
// does not fail it.
func TestHandoffIntakeFieldsAndPublic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testutil.Store(t)
	box := testBox(t)
	other, err := store.NewContactBox(bytes.Repeat([]byte{8}, 32))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	addIntakeAt(t, db, box, "h1", "u1", "order", "A-1001", at)
	addIntakeAt(t, db, other, "h1", "u1", "phone", "010-1234-5678", at.Add(time.Second)) // pii (addIntakeAt marks phone)
	addIntakeAt(t, db, box, "h2", "u1", "order", "Z-9999", at)

	fields, err := db.HandoffIntakeFields(ctx, "h1")
	if err != nil {
		t.Fatal(err)
	}
	wantFields := []store.IntakeField{{Name: "order", AnsweredAt: at}, {Name: "phone", PII: true, AnsweredAt: at.Add(time.Second)}}
	if diff := cmp.Diff(wantFields, fields); diff != "" {
		t.Errorf("HandoffIntakeFields (-want +got):\n%s", diff)
	}
	if fields, err := db.HandoffIntakeFields(ctx, "h-none"); err != nil || len(fields) != 0 {
		t.Errorf("HandoffIntakeFields of a handoff without intake: got %v, %v; want none", fields, err)
	}

	got, err := db.HandoffIntakePublic(ctx, box, "h1")
	if err != nil {
		t.Fatalf("HandoffIntakePublic: %v (a pii field was opened)", err)
	}
	if diff := cmp.Diff([]store.IntakeValue{{Name: "order", Value: "A-1001"}}, got); diff != "" {
		t.Errorf("HandoffIntakePublic (-want +got):\n%s", diff)
	}
	// The full read still opens every field and reports the one it cannot.
	if got, err := db.HandoffIntake(ctx, box, "h1"); !errors.Is(err, store.ErrUnreadable) || len(got) != 1 {
		t.Errorf("HandoffIntake: got %v, %v; want the order and ErrUnreadable", got, err)
	}
}
