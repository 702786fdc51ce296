package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestPendingOutboxCoversWhatItSaw: Commit numbers a turn's outbox rows in
// the order the writer inserts them, and a read of the outbox says up to
// which number it saw: with turns committing while reads run (in the same
// batches or not), every read returns exactly the turn rows numbered at or
// below what it covered (none is published here), and none above.
func TestPendingOutboxCoversWhatItSaw(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	at := time.Now().UTC()
	type read struct {
		ids    map[string]bool
		covers uint64
	}
	var (
		mu        sync.Mutex
		committed = map[string]uint64{} // id -> Seq
		wg        sync.WaitGroup
	)
	for g := range 4 {
		wg.Go(func() {
			for i := range 20 {
				w := testTurn(fmt.Sprintf("u-seq-%d-%d", g, i), 0, at)
				w.Outbox = []OutboxMsg{{Subject: "baton.test.a", CreatedAt: at}, {Subject: "baton.test.b", CreatedAt: at}}
				if err := db.Commit(ctx, w); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for _, m := range w.Outbox {
					committed[m.ID] = m.Seq
				}
				mu.Unlock()
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	var reads []read
	for stop := false; !stop; {
		select {
		case <-done:
			stop = true // one more read after the last commit
		default:
		}
		rows, covers, err := db.PendingOutboxCovering(ctx, 1000)
		if err != nil {
			t.Fatal(err)
		}
		r := read{ids: map[string]bool{}, covers: covers}
		for _, m := range rows {
			r.ids[m.ID] = true
		}
		reads = append(reads, r)
	}
	if len(committed) != 4*20*2 {
		t.Fatalf("got %d committed rows, want %d", len(committed), 4*20*2)
	}
	seen := map[uint64]bool{}
	for id, seq := range committed {
		if seq == 0 || seen[seq] {
			t.Errorf("row %s: got Seq %d, want a number of its own", id, seq)
		}
		seen[seq] = true
	}
	for i, r := range reads {
		for id, seq := range committed {
			if want := seq <= r.covers; r.ids[id] != want {
				t.Errorf("read %d (covers %d): row %s (Seq %d) returned %v, want %v", i, r.covers, id, seq, r.ids[id], want)
			}
		}
	}
	if last := reads[len(reads)-1]; last.covers < uint64(len(committed)) {
		t.Errorf("the last read covers %d, want at least %d", last.covers, len(committed))
	}
}
