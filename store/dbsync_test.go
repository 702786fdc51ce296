package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"
)

// walFiller creates a table whose rows take at least a WAL frame each.
func walFiller(t *testing.T, db *DB) func(rows int) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.w.ExecContext(ctx, "CREATE TABLE wal_filler (n INTEGER, pad BLOB)"); err != nil {
		t.Fatal(err)
	}
	return func(rows int) {
		t.Helper()
		for n := range rows {
			if _, err := db.w.ExecContext(ctx, "INSERT INTO wal_filler VALUES (?, zeroblob(3000))", n); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestRestartFindsTheDatabaseFileSynced: the writer appends while the
// first PASSIVE pass runs, as it always does under load, so SQLite does
// not fsync the database file after that pass (dbsync.go). The
// checkpointer fdatasyncs the file itself after that pass and before it
// takes the WAL gate for the RESTART, so the RESTART's own fsync — which
// the writer waits for — finds only the pages copied after it.
func TestRestartFindsTheDatabaseFileSynced(t *testing.T) {
	t.Parallel()
	var (
		db     *DB
		fill   func(int)
		events []string
	)
	db, _ = openTestDB(t, Options{
		walLimit:        32,
		checkpointEvery: time.Hour, // the test runs the checkpoints
		checkpointHook: func(real func() error) error {
			events = append(events, "passive")
			err := real()
			if len(events) == 1 {
				fill(16) // appended while the pass ran
			}
			return err
		},
		dbSync: func(real func() error) error {
			events = append(events, "dbsync")
			return real()
		},
		restartHook: func() { events = append(events, "restart") },
	})
	fill = walFiller(t, db)
	fill(64) // past walLimit

	if what, err := db.checkpoint(); err != nil {
		t.Fatalf("checkpoint: %s: %v", what, err)
	}
	got := strings.Join(events, " ")
	if !strings.HasPrefix(got, "passive dbsync passive") || !strings.HasSuffix(got, " restart") ||
		strings.Count(got, "dbsync") != 1 || strings.Count(got, "restart") != 1 {
		t.Errorf("checkpoint steps: %q; want the first PASSIVE pass, one fdatasync of the database file, the catch-up passes, then the RESTART", got)
	}
	st := db.Stats()
	if st.WALRestarts != 1 || st.DBFileSyncs != 1 {
		t.Errorf("got %d WAL restarts and %d database file syncs, want 1 and 1", st.WALRestarts, st.DBFileSyncs)
	}

	// A checkpoint under the limit syncs nothing itself: SQLite's PASSIVE
	// pass does, when it copies the WAL's last frame.
	events = events[:0]
	fill(4)
	if what, err := db.checkpoint(); err != nil {
		t.Fatalf("checkpoint: %s: %v", what, err)
	}
	if got := strings.Join(events, " "); got != "passive" {
		t.Errorf("checkpoint steps under the WAL limit: %q; want one PASSIVE pass", got)
	}

	// A scrub's TRUNCATE holds the write lock too: the file is synced
	// before it. The request is marked pending without scrubSoon's wake-up,
	// which would let the checkpointer's goroutine take it first and run it
	// beside this one.
	fill(4)
	db.scrubPending.Store(true)
	if err := db.scrubWAL(); err != nil {
		t.Fatalf("scrub: %v", err)
	}
	if st := db.Stats(); st.DBFileSyncs != 2 || db.walScrubs.Load() != 1 {
		t.Errorf("after a scrub: %d database file syncs and %d scrubs, want 2 and 1", st.DBFileSyncs, db.walScrubs.Load())
	}
}

// TestFailedDatabaseFileSyncStopsWrites: after a failed fdatasync of the
// database file the kernel may have marked the unwritten pages clean, so
// no RESTART may let the writer overwrite their only durable copy in the
// WAL: the checkpoint fails without a RESTART, and the store acknowledges
// no write until it is reopened, as after a failed fsync of the WAL.
func TestFailedDatabaseFileSyncStopsWrites(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	restarts, failing := 0, true
	db, path := openTestDB(t, Options{
		walLimit:        32,
		checkpointEvery: time.Hour,
		dbSync: func(real func() error) error {
			if failing {
				return syscall.EIO
			}
			return real()
		},
		restartHook: func() { restarts++ },
	})
	fill := walFiller(t, db)
	fill(64)

	what, err := db.checkpoint()
	if !errors.Is(err, syscall.EIO) || what != "sync the database file" {
		t.Fatalf("checkpoint: %q, %v; want the failed sync of the database file", what, err)
	}
	if restarts != 0 || db.Stats().WALRestarts != 0 {
		t.Errorf("the WAL was restarted %d times after the database file failed to sync", restarts)
	}
	if err := db.Err(); !errors.Is(err, errSyncFailed) || !strings.Contains(err.Error(), "fsync database file") {
		t.Errorf("Err() = %v; want the failed sync of the database file", err)
	}
	werr := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO wal_filler VALUES (-1, zeroblob(10))")
		return err
	})
	if !errors.Is(werr, errSyncFailed) {
		t.Errorf("a write after the failed sync: %v; want it refused (%v)", werr, errSyncFailed)
	}
	// The next sync succeeds, as one after a failure may although the
	// failed pages were never written: still no RESTART, no scrub.
	failing = false
	db.scrubPending.Store(true) // not scrubSoon: this goroutine runs the scrub
	for range 2 {
		if what, err := db.checkpoint(); err != nil {
			t.Fatalf("checkpoint after the failure: %s: %v", what, err)
		}
		if err := db.scrubWAL(); err != nil {
			t.Fatalf("scrub after the failure: %v", err)
		}
	}
	if restarts != 0 || db.Stats().WALRestarts != 0 || db.walScrubs.Load() != 0 {
		t.Errorf("after the failure the WAL was restarted %d times and scrubbed %d times; want never", restarts, db.walScrubs.Load())
	}
	// Everything acknowledged before is still there once the store is
	// reopened (a restart replays the WAL into the database file).
	if err := db.Close(); err != nil && !errors.Is(err, errSyncFailed) {
		t.Fatalf("Close: %v", err)
	}
	db2, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	var n int
	if err := db2.ReadDB().QueryRowContext(ctx, "SELECT count(*) FROM wal_filler").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 64 {
		t.Errorf("got %d rows after reopening, want the 64 acknowledged", n)
	}
}
