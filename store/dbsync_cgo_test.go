//go:build cgo

package store

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mattn/go-sqlite3"
)

// TestCheckpointFsyncFailureStopsWrites: when SQLite's own fsync in a
// checkpoint fails, its next attempt may succeed without the lost pages
// and let the WAL start over, so the store stops acknowledging writes as
// after a failed fsync of the WAL. Other checkpoint failures (a full disk:
// TestCheckpointFailureLinesBounded) do not.
func TestCheckpointFsyncFailureStopsWrites(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var fail atomic.Pointer[error]
	db, _ := openTestDB(t, Options{
		checkpointEvery: 2 * time.Millisecond,
		checkpointHook: func(real func() error) error {
			if err := fail.Load(); err != nil {
				return *err
			}
			return real()
		},
	})
	other := error(sqlite3.Error{Code: sqlite3.ErrIoErr, ExtendedCode: sqlite3.ErrIoErrWrite})
	fail.Store(&other)
	time.Sleep(50 * time.Millisecond) // a few failed checkpoints
	if err := db.Err(); err != nil {
		t.Fatalf("Err() after failed checkpoint writes = %v; want nil (a write error is retried)", err)
	}
	if err := db.Commit(ctx, testTurn("u-before", 0, time.Now())); err != nil {
		t.Fatalf("Commit: %v", err)
	}

	fsync := error(sqlite3.Error{Code: sqlite3.ErrIoErr, ExtendedCode: sqlite3.ErrIoErrFsync})
	fail.Store(&fsync)
	checkFor(t, 2*time.Second, 5*time.Millisecond, func() error {
		if db.Err() == nil {
			return errors.New("the store still acknowledges writes")
		}
		return nil
	})
	if err := db.Err(); !errors.Is(err, errSyncFailed) || !strings.Contains(err.Error(), "fsync in a checkpoint") {
		t.Errorf("Err() = %v; want the checkpoint's failed fsync", err)
	}
	if err := db.Commit(ctx, testTurn("u-after", 0, time.Now())); !errors.Is(err, errSyncFailed) {
		t.Errorf("Commit after the failed fsync: %v; want it refused", err)
	}
}
