package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/bench"
	"github.com/baton-chat/baton/store"
)

// TestStoreDelta: the bench's store line counts only the phase's batches and
// fsyncs, and reads its quantiles from the phase's buckets.
func TestStoreDelta(t *testing.T) {
	bounds := store.WALSyncBounds()
	at := func(d time.Duration) int { // the bucket of a duration equal to a bound
		for i, b := range bounds {
			if b == d {
				return i
			}
		}
		t.Fatalf("%v is not a bound", d)
		return 0
	}
	var a, b store.Stats
	a.Batches, a.Requests = 10, 50
	a.SyncBuckets[at(16*time.Millisecond)] = 7 // before the phase: not counted
	b = a
	b.Batches, b.Requests = 110, 250
	b.SyncBuckets[at(500*time.Microsecond)] += 98
	b.SyncBuckets[at(4*time.Millisecond)] += 1
	b.SyncBuckets[at(8*time.Millisecond)] += 1
	for _, n := range a.SyncBuckets {
		a.Syncs += n
	}
	for _, n := range b.SyncBuckets {
		b.Syncs += n
	}
	a.SyncSeconds, b.SyncSeconds = 1, 1.1
	got := storeDelta(a, b)
	for _, want := range []string{"100 batches, 2.0 writes each", "100 fsyncs, mean 1ms", "p50 ≤0.5ms", "p99 ≤4ms", "over 2ms 2", "over 4ms 1", "over 8ms 0", "slowest ≤8ms"} {
		if !strings.Contains(got, want) {
			t.Errorf("storeDelta = %q, want it to contain %q", got, want)
		}
	}
	if got := storeDelta(a, a); got != "no batches" {
		t.Errorf("storeDelta of an empty phase = %q, want %q", got, "no batches")
	}
}

// TestBucketQuantileRoundsRankUp: the store line's fsync quantiles are the
// upper bound of the bucket holding the ⌈q·n⌉-th fsync. With 160 fsyncs of
// which 158 (98.75%) took ≤ 0.5 ms and 2 took 4–8 ms, fewer than 99% are
// ≤ 0.5 ms, so p99 is ≤ 8 ms (rank ⌈158.4⌉ = 159), not ≤ 0.5 ms: the
// disk's tail shows even when the fraction of q·n is below one half.
func TestBucketQuantileRoundsRankUp(t *testing.T) {
	bounds := store.WALSyncBounds()
	idx := func(d time.Duration) int {
		for i, b := range bounds {
			if b == d {
				return i
			}
		}
		t.Fatalf("%v is not a bound", d)
		return 0
	}
	hist := make([]uint64, len(bounds)+1)
	hist[idx(500*time.Microsecond)] = 158
	hist[idx(8*time.Millisecond)] = 2
	if got, want := bucketQuantile(hist, bounds, 0.99), "≤8ms"; got != want {
		t.Errorf("p99 of 158 fsyncs ≤0.5ms and 2 ≤8ms: got %s, want %s", got, want)
	}
	if got, want := bucketQuantile(hist, bounds, 0.50), "≤0.5ms"; got != want {
		t.Errorf("p50 of 158 fsyncs ≤0.5ms and 2 ≤8ms: got %s, want %s", got, want)
	}
}

// TestBenchStoreGetsQuiet: the in-process Baton's store, read through
// storeActivity, gets quiet after a write (its checkpointer keeps running
// while idle), so the wait between a saturation warm-up and its window
// ends, and ends only after the write's checkpoint.
func TestBenchStoreGetsQuiet(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "baton.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec("CREATE TABLE bench_quiet (x)")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	before := db.Stats()
	if err := bench.StoreQuiet(storeActivity(db), 20*time.Millisecond, 10*time.Second)(ctx); err != nil {
		t.Fatal(err)
	}
	after := db.Stats()
	if after.Checkpoints < before.Checkpoints+2 || after.QueueDepth != 0 || after.Dirty != 0 {
		t.Errorf("quiet with %d checkpoints since the write, %d queued, %d owed; want ≥ 2, 0, 0",
			after.Checkpoints-before.Checkpoints, after.QueueDepth, after.Dirty)
	}
}
