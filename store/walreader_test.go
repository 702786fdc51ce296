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

// TestSlowLongReaderOverWALLimitFailsNoTurn commits turns from 4 workers
// for 5 s while a read transaction holds an old snapshot and the WAL is over
// its limit: the RESTART checkpoint (short busy timeout, backing off while
// readers keep it busy, walrestart.go) must never hold the write lock long
// enough for a Commit to fail with "database is locked".
func TestSlowLongReaderOverWALLimitFailsNoTurn(t *testing.T) {
	if testing.Short() {
		t.Skip("5 s of load: not in -short")
	}
	db, _ := openTestDB(t, Options{walLimit: 32, checkpointEvery: 100 * time.Millisecond})
	ctx := context.Background()
	// A first turn, so the reader's snapshot has something to read.
	if err := db.Commit(ctx, testTurn("u-reader-0", 0, time.Now())); err != nil {
		t.Fatal(err)
	}
	// The long reader: a read transaction on the read-only pool, snapshot
	// taken by its first query, held for the whole test.
	rtx, err := db.ReadDB().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := rtx.QueryRow(`SELECT count(*) FROM turns`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rtx.Rollback() })

	runCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var failed, ok atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	for c := range 4 {
		wg.Go(func() {
			key := fmt.Sprintf("u-reader-load-%d", c)
			v := int64(0)
			for runCtx.Err() == nil {
				w := testTurn(key, v, time.Now())
				if err := db.Commit(ctx, w); err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					// the conversation is unknown after a failed commit: start a new user
					key = fmt.Sprintf("%s-%d", key, failed.Load())
					v = 0
					continue
				}
				ok.Add(1)
				v = w.Conv.Version
			}
		})
	}
	wg.Wait()
	if ok.Load() == 0 {
		t.Fatal("no turn committed at all")
	}
	if f := failed.Load(); f > 0 {
		t.Errorf("%d of %d turns failed while a long reader held the WAL over its limit (first: %v); want none", f, f+ok.Load(), firstErr.Load())
	}
}
