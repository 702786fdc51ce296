package main

import (
	"strings"
	"testing"
	"time"

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
