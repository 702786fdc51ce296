package store

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"
)

// TestCancelledWriteLeavesItsBatchMates: a Write callback whose context ends
// while one of its statements runs fails alone. SQLite's answer to a
// cancelled context (sqlite3_interrupt) rolls back the whole transaction
// when the interrupted statement writes, and the writer's transaction is
// the batch: the turns committed with it must not fail with it.
func TestCancelledWriteLeavesItsBatchMates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE scratch (x INTEGER)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

	// Hold the writer so that the turn and the slow write queue up and
	// share the next batch.
	hold, release := make(chan struct{}), make(chan struct{})
	holdDone := make(chan error, 1)
	go func() {
		holdDone <- db.Write(ctx, func(*sql.Tx) error { close(hold); <-release; return nil })
	}()
	<-hold

	turnDone := make(chan error, 1)
	w := testTurn("u-bystander", 0, at)
	w.Outbox = []OutboxMsg{{Subject: "test.rows", Payload: []byte("x")}} // the rows path
	go func() { turnDone <- db.Commit(ctx, w) }()

	slowCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	started := make(chan struct{})
	slowDone := make(chan error, 1)
	go func() {
		slowDone <- db.Write(slowCtx, func(tx *sql.Tx) error {
			close(started)
			_, err := tx.ExecContext(slowCtx, `INSERT INTO scratch
				WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000) SELECT x FROM c`)
			return err
		})
	}()
	for db.Stats().QueueDepth < 2 {
		time.Sleep(time.Millisecond)
	}
	close(release)
	<-started
	time.Sleep(50 * time.Millisecond)
	cancel()

	if err := <-holdDone; err != nil {
		t.Errorf("the write before it in the batch: %v", err)
	}
	if err := <-turnDone; err != nil {
		t.Errorf("the turn after it in the batch: %v", err)
	}
	// The slow write itself ran to its end (its statement is not cut
	// short) and is committed, or failed alone: either way its batch-mates
	// stand.
	if err := <-slowDone; err != nil && !errors.Is(err, context.Canceled) {
		t.Errorf("the slow write: %v, want nil or context.Canceled", err)
	}
	if n := countRows(t, db, "turns", "user_key = 'u-bystander'"); n != 1 {
		t.Errorf("%d turns of the bystander stored, want 1", n)
	}
}
