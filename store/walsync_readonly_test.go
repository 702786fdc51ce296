package store

import (
	"context"
	"sync/atomic"
	"testing"
)

// TestReadOnlyBatchesSkipTheFsync: a read on the writer's connection
// (PendingOutbox, RecentTurns) that finds nothing written since the last
// fsync is answered without one, while every write still gets its fsync
// and a read after it still returns what it wrote.
func TestReadOnlyBatchesSkipTheFsync(t *testing.T) {
	t.Parallel()
	var syncs atomic.Int64
	db, _ := openTestDB(t, Options{walSync: func(real func() error) error {
		syncs.Add(1)
		return real()
	}})
	ctx := context.Background()

	read := func(step string, want int) {
		t.Helper()
		rows, err := db.PendingOutbox(ctx, 10)
		if err != nil {
			t.Fatalf("%s: PendingOutbox: %v", step, err)
		}
		if len(rows) != want {
			t.Fatalf("%s: PendingOutbox: got %d rows, want %d", step, len(rows), want)
		}
	}
	read("first read after open", 0) // the open's writes may take one fsync
	base := syncs.Load()
	for range 5 {
		read("idle read", 0)
		if _, err := db.RecentTurns(ctx, "u-none", db.now(), 5); err != nil {
			t.Fatalf("RecentTurns: %v", err)
		}
	}
	if got := syncs.Load() - base; got != 0 {
		t.Errorf("10 reads on an idle store: got %d fsyncs, want 0", got)
	}

	if err := db.QueueOutbox(ctx, OutboxMsg{Subject: "baton.handoff.req.general", Payload: []byte("h-1")}); err != nil {
		t.Fatalf("QueueOutbox: %v", err)
	}
	if got := syncs.Load() - base; got != 1 {
		t.Errorf("after a write: got %d fsyncs, want 1", got)
	}
	read("read after the write", 1)
	read("second read after the write", 1)
	if got := syncs.Load() - base; got != 1 {
		t.Errorf("reads after a synced write: got %d fsyncs, want still 1", got)
	}
	if err := db.Commit(ctx, testTurn("u-1", 0, db.now())); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	if got := syncs.Load() - base; got != 2 {
		t.Errorf("after a turn: got %d fsyncs, want 2", got)
	}
}
