package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
)

func TestWriteEvictRefreshesCache(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	if err := db.Commit(ctx, testTurn("u-evict", 0, time.Now())); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	setHuman := func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE conversations SET state = 'human', version = version + 1
			WHERE user_key = 'u-evict'`)
		return err
	}
	// WriteEvict writes the cached conversation's row first (the turn is
	// only in the journal), runs the callback on it and drops the cache
	// entry, so the next Load reads the callback's change.
	if err := db.WriteEvict(ctx, []string{"u-evict"}, setHuman); err != nil {
		t.Fatalf("WriteEvict: %v", err)
	}
	_, c, _, err := db.Load(ctx, "u-evict")
	if err != nil || c.State != fsm.StateHuman || c.Version != 2 {
		t.Fatalf("Load after WriteEvict: state %q version %d, err %v, want human 2", c.State, c.Version, err)
	}
	// The refreshed version commits.
	w := testTurn("u-evict", c.Version, time.Now())
	if err := db.Commit(ctx, w); err != nil || w.Conv.Version != 3 {
		t.Errorf("Commit after refresh: version %d, err %v, want 3", w.Conv.Version, err)
	}
}

func TestWritePanicIsItsError(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	err := db.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (id, subject, payload, created_at)
			VALUES ('p', 's', x'00', 1)`); err != nil {
			return err
		}
		panic("bug in callback")
	})
	if err == nil || !strings.Contains(err.Error(), "bug in callback") {
		t.Fatalf("Write: got %v, want the panic as error", err)
	}
	msgs, err := db.PendingOutbox(ctx, 10)
	if err != nil || len(msgs) != 0 {
		t.Errorf("outbox after panicking Write: got %d rows, %v, want 0", len(msgs), err)
	}
	if err := db.Commit(ctx, testTurn("u-after-panic", 0, time.Now())); err != nil {
		t.Errorf("Commit after panicking Write: %v", err)
	}
}

func TestMarkPublishedKeepsFirstTime(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	w := testTurn("u-pub", 0, time.Now())
	w.Outbox = []OutboxMsg{{Subject: "s", Payload: []byte("p")}}
	if err := db.Commit(ctx, w); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	id := w.Outbox[0].ID
	if id == "" {
		t.Fatalf("outbox id: got empty, want filled in")
	}
	first := time.UnixMilli(1_000_000).UTC()
	for _, at := range []time.Time{first, first.Add(time.Hour)} {
		if err := db.MarkPublished(ctx, []string{id, "unknown-id"}, at); err != nil {
			t.Fatalf("MarkPublished: %v", err)
		}
	}
	var got int64
	if err := db.ReadDB().QueryRow(`SELECT published_at FROM outbox WHERE id = ?`, id).Scan(&got); err != nil {
		t.Fatalf("read published_at: %v", err)
	}
	if got != first.UnixMilli() {
		t.Errorf("published_at: got %d, want %d", got, first.UnixMilli())
	}
}

func TestMarkPublishedManyIDs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	w := testTurn("u-many", 0, time.Now())
	for range 1203 { // more than one chunk of 500
		w.Outbox = append(w.Outbox, OutboxMsg{Subject: "s", Payload: []byte("p")})
	}
	if err := db.Commit(ctx, w); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	ids := make([]string, len(w.Outbox))
	for i, m := range w.Outbox {
		ids[i] = m.ID
	}
	if err := db.MarkPublished(ctx, ids, time.Now()); err != nil {
		t.Fatalf("MarkPublished: %v", err)
	}
	if msgs, err := db.PendingOutbox(ctx, 10); err != nil || len(msgs) != 0 {
		t.Errorf("pending after marking all: got %d, %v, want 0", len(msgs), err)
	}
}

func TestWriteContextDoneNeverRuns(t *testing.T) {
	t.Parallel()
	db, _ := openTestDB(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	err := db.Write(ctx, func(*sql.Tx) error { ran = true; return nil })
	if !errors.Is(err, context.Canceled) || ran {
		t.Errorf("Write with canceled ctx: got err %v, ran %v, want context.Canceled, not run", err, ran)
	}
}

// TestBrokenBatchFailsEveryRequest breaks the batch transaction from inside
// a Write: the requests that shared the batch (a Write that held the writer
// while the others queued, and a turn) must get an error and not be stored,
// and the writer must carry on with the next batch.
func TestBrokenBatchFailsEveryRequest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	started, gate := make(chan struct{}), make(chan struct{})
	holdErr := make(chan error, 1)
	go func() {
		holdErr <- db.Write(ctx, func(tx *sql.Tx) error {
			close(started)
			<-gate
			_, err := tx.ExecContext(ctx, `INSERT INTO outbox (id, subject, payload, created_at)
				VALUES ('held', 's', x'00', 1)`)
			return err
		})
	}()
	<-started
	turnErr := make(chan error, 1)
	go func() { turnErr <- db.Commit(ctx, testTurn("u-victim", 0, time.Now())) }()
	waitQueued(t, db, 1)
	writeErr := make(chan error, 1)
	go func() {
		writeErr <- db.Write(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, "ROLLBACK") // ends the whole batch transaction
			return err
		})
	}()
	waitQueued(t, db, 2)
	before := db.Stats()
	close(gate)
	if err := <-holdErr; err == nil {
		t.Errorf("holding Write in broken batch: got nil, want an error")
	}
	if msgs, err := db.PendingOutbox(ctx, 10); err != nil || len(msgs) != 0 {
		t.Errorf("outbox after the broken batch: %d rows, %v, want 0 (the holding Write rolled back)", len(msgs), err)
	}
	if err := <-turnErr; err == nil {
		t.Errorf("Commit in broken batch: got nil, want an error")
	}
	if err := <-writeErr; err == nil {
		t.Errorf("breaking Write: got nil, want an error")
	}
	if got := db.Stats().FailedBatch - before.FailedBatch; got != 1 {
		t.Errorf("failed batches: got %d, want 1", got)
	}
	if _, _, found, err := db.Load(ctx, "u-victim"); err != nil || found {
		t.Errorf("victim stored: found %v, err %v, want not found", found, err)
	}
	if err := db.Commit(ctx, testTurn("u-victim", 0, time.Now())); err != nil {
		t.Errorf("Commit after broken batch: %v", err)
	}
}
