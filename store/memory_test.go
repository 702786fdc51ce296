package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestConnectionMemorySettings(t *testing.T) {
	t.Parallel()
	db, _ := openTestDB(t, Options{})
	tests := []struct {
		name, pragma string
		conn         *sql.DB
		want         int64
	}{
		{"writer cache", "cache_size", db.w, -writerCacheKiB},
		{"reader cache", "cache_size", db.r, -readerCacheKiB},
		{"checkpointer cache", "cache_size", db.ckpt, -readerCacheKiB},
		{"no soft heap limit", "soft_heap_limit", db.r, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got int64
			if err := tt.conn.QueryRowContext(context.Background(), "PRAGMA "+tt.pragma).Scan(&got); err != nil {
				t.Fatalf("PRAGMA %s: %v", tt.pragma, err)
			}
			if got != tt.want {
				t.Errorf("got PRAGMA %s = %d, want %d", tt.pragma, got, tt.want)
			}
		})
	}
}

func TestReadSQLiteMemory(t *testing.T) {
	t.Parallel()
	before := ReadSQLiteMemory()
	db, _ := openTestDB(t, Options{})
	// A query on every pool: each connection has parsed the schema.
	var n int
	if err := db.r.QueryRowContext(context.Background(), "SELECT count(*) FROM sqlite_master").Scan(&n); err != nil {
		t.Fatal(err)
	}
	got := ReadSQLiteMemory()
	if got.Used <= 0 || got.Highwater < got.Used {
		t.Errorf("got %+v, want a positive Used and Highwater ≥ Used", got)
	}
	if got.Highwater < before.Highwater {
		t.Errorf("got high-water mark %d after opening a store, want ≥ %d (before)", got.Highwater, before.Highwater)
	}
}

func TestCheckpointRestartsLongWAL(t *testing.T) {
	t.Parallel()
	db, _ := openTestDB(t, Options{walLimit: 32, checkpointEvery: 100 * time.Millisecond})
	ctx := context.Background()
	if _, err := db.w.ExecContext(ctx, "CREATE TABLE wal_filler (n INTEGER, pad BLOB)"); err != nil {
		t.Fatal(err)
	}
	// A writer that never pauses: without a RESTART checkpoint the WAL
	// only ever grows.
	stop := make(chan struct{})
	done := make(chan int)
	var made atomic.Int64
	go func() {
		n := 0
		for {
			select {
			case <-stop:
				done <- n
				return
			default:
			}
			if _, err := db.w.ExecContext(ctx, "INSERT INTO wal_filler VALUES (?, zeroblob(3000))", n); err != nil {
				t.Error(err)
				done <- n
				return
			}
			n++
			made.Store(int64(n))
		}
	}()
	// A RESTART leaves the WAL to be started over by the next commit,
	// which does so only if it can lock every reader slot at that moment;
	// otherwise it appends, and a later RESTART tries again (a CI run under
	// load saw a WAL not started over right after the first restart). Wait
	// for a restart and a WAL that did start over.
	checkFor(t, 20*time.Second, 20*time.Millisecond, func() error {
		if got := db.walRestarts.Load(); got == 0 {
			return fmt.Errorf("got %d WAL restarts, want at least one", got)
		}
		// Every commit appends at least one frame, so a WAL never started
		// over holds at least as many frames as there were commits before
		// the count is read. (Once the writer stops, no such comparison
		// holds: a commit can append more than one frame (a leaf and the
		// pages above it), and a loaded run can go on long enough after
		// the last RESTART that succeeded for the WAL to outgrow the commit
		// count again.)
		n := made.Load()
		var busy, frames, copied int64
		if err := db.ckpt.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied); err != nil {
			return err
		}
		if frames >= n {
			return fmt.Errorf("got %d frames in the WAL after %d commits: not started over yet", frames, n)
		}
		return nil
	})
	close(stop)
	<-done
	var busy, frames, copied int64
	if err := db.ckpt.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied); err != nil {
		t.Fatal(err)
	}
	// The checkpointer's work shows in Stats (exported on /metrics). It
	// goes on while the test reads: a checkpoint that began before the
	// writer stopped may have seen the WAL at any size (none, in the
	// moment a commit restarts it), and one over walLimit frames RESTARTs
	// again on every tick. The second checkpoint to end from now began
	// after the writer stopped, and saw the WAL as it stays.
	ckpts := db.ckpts.Load()
	checkFor(t, 5*time.Second, 5*time.Millisecond, func() error {
		if got := db.ckpts.Load(); got < ckpts+2 {
			return fmt.Errorf("got %d checkpoints since the writer stopped, want 2", got-ckpts)
		}
		return nil
	})
	before := uint64(db.walRestarts.Load())
	st := db.Stats()
	after := uint64(db.walRestarts.Load())
	if st.Checkpoints < uint64(ckpts)+2 || st.CheckpointSeconds <= 0 || st.WALRestarts < before || st.WALRestarts > after || st.WALRestarts == 0 {
		t.Errorf("got %d checkpoints taking %gs and %d restarts, want at least %d checkpoints, some time and %d to %d restarts",
			st.Checkpoints, st.CheckpointSeconds, st.WALRestarts, ckpts+2, before, after)
	}
	if st.WALFrames != frames || st.WALFrames <= 0 {
		t.Errorf("got %d WAL frames at the last checkpoint, want the %d the WAL holds (a writer that never paused)", st.WALFrames, frames)
	}
}

// TestCheckpointRestartsUnderTurnLoad: the group-commit writer keeps a
// transaction open almost all the time under load (it applies requests
// while the previous batch's fsync runs); the RESTART checkpoint must still
// find its moment, or the WAL grows without bound.
func TestCheckpointRestartsUnderTurnLoad(t *testing.T) {
	t.Parallel()
	db, _ := openTestDB(t, Options{walLimit: 64, checkpointEvery: 100 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for c := range 32 {
		wg.Go(func() {
			key := fmt.Sprintf("u-load-%d", c)
			v := int64(0)
			for ctx.Err() == nil {
				w := testTurn(key, v, time.Now())
				if err := db.Commit(ctx, w); err != nil {
					if ctx.Err() == nil {
						t.Errorf("Commit: %v", err)
					}
					return
				}
				v = w.Conv.Version
			}
		})
	}
	checkFor(t, 30*time.Second, 20*time.Millisecond, func() error {
		if got := db.walRestarts.Load(); got < 2 {
			return fmt.Errorf("got %d WAL restarts under load, want at least 2", got)
		}
		return nil
	})
	cancel()
	wg.Wait()
}
