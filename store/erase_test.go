package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
	"github.com/google/go-cmp/cmp"
)

func TestEraseUserLeavesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testutil.Store(t)
	at := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	gone := testutil.SeedUser(t, db, "erase-me-4f1c9a", at)
	kept := testutil.SeedUser(t, db, "keep-me-88b2d0", at.Add(time.Second))
	// Intake answers: one of the open handoff, one of an intake still in
	// progress (its handoff not opened yet), and one of the other user.
	box := testBox(t)
	addIntake(t, db, box, gone.HandoffID, gone.Key, "order", "A-1001")
	addIntake(t, db, box, "01RESERVEDNOTOPENED", gone.Key, "order", "B-2002")
	addIntake(t, db, box, kept.HandoffID, kept.Key, "order", "C-3003")

	refs, err := db.UserRefs(ctx, gone.Key)
	if err != nil {
		t.Fatalf("UserRefs: %v", err)
	}
	e, err := db.EraseUser(ctx, gone.Key)
	if err != nil {
		t.Fatalf("EraseUser: %v", err)
	}
	if !e.Found {
		t.Errorf("Found: got false, want true")
	}
	if diff := cmp.Diff(refs.Timers, e.Timers); diff != "" {
		t.Errorf("timers from UserRefs and EraseUser differ (-refs +erase):\n%s", diff)
	}
	if got, want := len(e.Timers), len(gone.Timers); got != want {
		t.Errorf("timers erased: got %d, want %d", got, want)
	}
	if diff := cmp.Diff(gone.TicketIDs, e.Tickets); diff != "" {
		t.Errorf("tickets erased (-want +got):\n%s", diff)
	}
	for table, want := range map[string]int64{"users": 1, "turns": 1, "conversations": 1, "handoffs": 1,
		"tickets": 2, "timers": 2, "notifications": 1, "contacts": 1, "handoff_agents": 1, "handoff_deliveries": 1, "outbox": 3, "handoff_intake": 2} {
		if got := e.Rows[table]; got != want {
			t.Errorf("rows deleted from %s: got %d, want %d", table, got, want)
		}
	}
	for _, needle := range gone.Needles() {
		if hits := testutil.FindInTables(t, db.ReadDB(), needle); len(hits) > 0 {
			t.Errorf("after erase, %q still found in %v", needle, hits)
		}
	}
	if _, _, found, err := db.Load(ctx, gone.Key); err != nil || found {
		t.Errorf("Load after erase: got found=%v err=%v, want not found", found, err)
	}
	// The other user is untouched.
	for _, needle := range kept.Needles() {
		if hits := testutil.FindInTables(t, db.ReadDB(), needle); len(hits) == 0 {
			t.Errorf("other user's %q was erased too", needle)
		}
	}
	var left []string
	rows, err := db.ReadDB().Query(`SELECT handoff_id FROM handoff_intake`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		left = append(left, id)
	}
	rows.Close()
	if diff := cmp.Diff([]string{kept.HandoffID}, left); diff != "" {
		t.Errorf("handoff_intake after erase (-want +got):\n%s", diff)
	}
	if n, err := db.CountTurns(ctx, kept.Key); err != nil || n != 1 {
		t.Errorf("other user's turns: got %d (%v), want 1", n, err)
	}

	again, err := db.EraseUser(ctx, gone.Key)
	if err != nil {
		t.Fatalf("second EraseUser: %v", err)
	}
	if again.Found || len(again.Timers) != 0 {
		t.Errorf("second erase: got found=%v timers=%v, want nothing", again.Found, again.Timers)
	}
}

// BenchmarkEraseUser measures one erasure with 100,000 other outbox rows to
// search, and how long it holds the writer (writer-ms/op).
func BenchmarkEraseUser(b *testing.B) {
	ctx := context.Background()
	db := testutil.Store(b)
	at := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	err := db.Write(ctx, func(tx *sql.Tx) error {
		st, err := tx.Prepare(`INSERT INTO outbox (id, subject, payload, created_at, published_at) VALUES (?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for i := range 100_000 {
			id := store.NewID(at)
			if _, err := st.Exec(id, fmt.Sprintf("baton.handoff.req.q%d", i%7), []byte(id), at.UnixMilli(), at.UnixMilli()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	var writer float64
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		key := fmt.Sprintf("bench-erase-%d", i)
		testutil.SeedUser(b, db, key, at)
		before := db.Stats()
		b.StartTimer()
		if _, err := db.EraseUser(ctx, key); err != nil {
			b.Fatal(err)
		}
		after := db.Stats()
		writer += after.ApplySeconds - before.ApplySeconds + after.CommitSeconds - before.CommitSeconds
	}
	// How long turns wait behind one erasure.
	b.ReportMetric(writer*1e3/float64(b.N), "writer-ms/op")
}
