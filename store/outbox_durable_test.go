package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestPendingOutboxWaitsForFsync: a row is visible to readers from its
// batch's COMMIT, before the fsync that makes it durable. PendingOutbox,
// which the relay publishes from, must not return it until that fsync
// returned: the event log shows the row read only after its batch's sync.
func TestPendingOutboxWaitsForFsync(t *testing.T) {
	t.Parallel()
	var (
		mu     sync.Mutex
		events []string
	)
	record := func(e string) {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, e)
	}
	g := newGatedSync()
	hook := func(real func() error) error {
		err := g.hook(real)
		record("synced")
		return err
	}
	db, _ := openTestDB(t, Options{walSync: hook})
	released := false
	release := func() {
		if !released {
			released = true
			close(g.gate)
		}
	}
	t.Cleanup(release)
	ctx := context.Background()

	queued := make(chan error, 1)
	go func() {
		queued <- db.QueueOutbox(ctx, OutboxMsg{Subject: "baton.handoff.req.general", Payload: []byte("h-1")})
	}()
	<-g.entered // the row's batch committed; its fsync is held

	type result struct {
		rows []OutboxMsg
		err  error
	}
	read := make(chan result, 1)
	before := db.Stats().Requests
	go func() {
		rows, err := db.PendingOutbox(ctx, 10)
		record(fmt.Sprintf("read %d rows", len(rows)))
		read <- result{rows, err}
	}()
	// Wait until the read either returned or joined the writer's next batch
	// (which commits only once the held fsync returns).
	var early *result
	checkFor(t, 5*time.Second, time.Millisecond, func() error {
		select {
		case r := <-read:
			early = &r
			return nil
		default:
		}
		if db.Stats().Requests > before {
			return nil
		}
		return errors.New("the read neither returned nor reached the writer")
	})
	if early != nil && len(early.rows) > 0 {
		t.Fatalf("PendingOutbox returned %d rows (err %v) while their batch's fsync was held, want none before it", len(early.rows), early.err)
	}
	release()
	if err := <-queued; err != nil {
		t.Fatalf("QueueOutbox: %v", err)
	}
	got := early
	if got == nil {
		r := <-read
		got = &r
	}
	if got.err != nil || len(got.rows) != 1 || string(got.rows[0].Payload) != "h-1" {
		t.Fatalf("PendingOutbox: got %d rows, err %v; want the queued row", len(got.rows), got.err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(events) < 2 || events[0] != "synced" {
		t.Errorf("events: got %q, want the row's sync before the read that returns it", events)
	}
}
