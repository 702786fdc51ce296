package store

import (
	"context"
	"testing"
	"time"
)

// TestRestartCopiesOnlyTheTail: the writer appends while the first PASSIVE
// pass runs (a second's frames under load); a catch-up pass copies them
// before the RESTART, so the RESTART — which the writer waits for — has
// next to nothing left to copy.
func TestRestartCopiesOnlyTheTail(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const during = 2 * restartTailFrames // frames appended during the first pass
	var db *DB
	passes := 0
	db, _ = openTestDB(t, Options{
		walLimit:        32,
		checkpointEvery: time.Hour, // the test runs the checkpoints
		checkpointHook: func(real func() error) error {
			passes++
			err := real()
			if passes == 1 {
				// One row of a 3,000-byte blob per commit: at least a
				// frame each.
				for n := range during {
					if _, err := db.w.ExecContext(ctx, "INSERT INTO wal_filler VALUES (?, zeroblob(3000))", n); err != nil {
						t.Fatal(err)
					}
				}
			}
			return err
		},
	})
	if _, err := db.w.ExecContext(ctx, "CREATE TABLE wal_filler (n INTEGER, pad BLOB)"); err != nil {
		t.Fatal(err)
	}
	for n := range 64 { // past walLimit
		if _, err := db.w.ExecContext(ctx, "INSERT INTO wal_filler VALUES (?, zeroblob(3000))", n); err != nil {
			t.Fatal(err)
		}
	}
	if what, err := db.checkpoint(); err != nil {
		t.Fatalf("checkpoint: %s: %v", what, err)
	}
	st := db.Stats()
	if st.WALRestarts != 1 {
		t.Fatalf("got %d WAL restarts, want 1", st.WALRestarts)
	}
	if passes < 2 {
		t.Errorf("got %d PASSIVE passes, want a catch-up pass after the first", passes)
	}
	if st.WALRestartCopied > restartTailFrames {
		t.Errorf("the RESTART copied %d frames itself, want at most %d (the %d appended during the first pass were the catch-up's)",
			st.WALRestartCopied, restartTailFrames, during)
	}
	// The WAL started over: the next commit writes from its start.
	if _, err := db.w.ExecContext(ctx, "INSERT INTO wal_filler VALUES (-1, zeroblob(3000))"); err != nil {
		t.Fatal(err)
	}
	var busy, frames, copied int64
	if err := db.ckpt.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied); err != nil {
		t.Fatal(err)
	}
	if frames >= during {
		t.Errorf("got %d frames in the WAL after the restart and one commit, want a few", frames)
	}
}

// TestIdleWALRestartsOnce: a WAL left over its limit by writes that then
// stopped is restarted once; until a write starts it over, the
// checkpoints that follow do not take the writer's gate again.
func TestIdleWALRestartsOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	gated := 0
	db, _ := openTestDB(t, Options{walLimit: 32, checkpointEvery: time.Hour, restartHook: func() { gated++ }})
	fill := func(rows int) {
		t.Helper()
		for n := range rows {
			if _, err := db.w.ExecContext(ctx, "INSERT INTO wal_filler VALUES (?, zeroblob(3000))", n); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := db.w.ExecContext(ctx, "CREATE TABLE wal_filler (n INTEGER, pad BLOB)"); err != nil {
		t.Fatal(err)
	}
	fill(64)
	for range 3 {
		if what, err := db.checkpoint(); err != nil {
			t.Fatalf("checkpoint: %s: %v", what, err)
		}
	}
	if got := db.Stats().WALRestarts; got != 1 || gated != 1 {
		t.Fatalf("after three checkpoints of an idle WAL over its limit: got %d restarts, %d RESTARTs on the gate; want 1 and 1", got, gated)
	}
	// Writes start the WAL over and grow it past the limit again: the
	// next checkpoint restarts it again.
	fill(64)
	if what, err := db.checkpoint(); err != nil {
		t.Fatalf("checkpoint: %s: %v", what, err)
	}
	if got := db.Stats().WALRestarts; got != 2 || gated != 2 {
		t.Errorf("after more writes: got %d restarts, %d RESTARTs on the gate; want 2 and 2", got, gated)
	}
}
