//go:build audit

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

// TestAuditLongReaderOverWALLimitFailsNoTurn shows that turns fail while a
// long read (the nightly backup's VACUUM INTO, `baton report`, which
// docs/ops.md says runs "also while serve runs") holds an old snapshot and
// the WAL is over its limit (walRestartFrames, 64 MB): the checkpointer's
// wal_checkpoint(RESTART) (store/memory.go checkpoint) takes the WAL write
// lock and then waits its busy timeout (1 s) for the reader, every
// checkpoint interval, and the writer's BEGIN IMMEDIATE, with the same 1 s
// busy timeout, gives up — the batch fails and its turns get the fallback.
// Want: no Commit fails because of the checkpointer (e.g. skip RESTART, or
// use a short busy timeout for it, while a reader holds an old snapshot).
func TestAuditLongReaderOverWALLimitFailsNoTurn(t *testing.T) {
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
