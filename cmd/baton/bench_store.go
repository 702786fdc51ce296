package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/baton-chat/baton/bench"
	"github.com/baton-chat/baton/store"
)

// storeActivity reads the in-process store's backlog and progress for
// bench.StoreQuiet: the writes queued, the conversations' rows owed, the
// writes carried and the checkpointer's runs.
func storeActivity(db *store.DB) func(context.Context) (bench.StoreActivity, error) {
	return func(context.Context) (bench.StoreActivity, error) {
		s := db.Stats()
		return bench.StoreActivity{Queued: float64(s.QueueDepth), Owed: float64(s.Dirty),
			Writes: float64(s.Requests), Checkpoints: float64(s.Checkpoints)}, nil
	}
}

// storePhases records the in-process Baton's store counters at the start
// and end of its two phases (the saturation phase from its warm-up on, the
// fixed-rate phase from its measured window on: bench.Config.FixedWindow),
// so the report can show what the commit pipeline did in each: how many
// turns a batch carried and how long the fsyncs that release replies took.
// A reply waits for one or two fsyncs, so the fixed-rate phase's latency
// tail follows the disk's fsync tail, which the bare handler never pays.
type storePhases struct {
	db   *store.DB
	at   map[string]store.Stats // by phase: counters when it began
	end  map[string]store.Stats // by phase: counters when it ended
	last string                 // the phase running now ("" before the first)
}

func newStorePhases(db *store.DB) *storePhases {
	return &storePhases{db: db, at: map[string]store.Stats{}, end: map[string]store.Stats{}}
}

// phase notes that Baton's phase mode begins now ("" when Baton's phases are
// over, or another target's begins).
func (p *storePhases) phase(mode string) {
	if p == nil {
		return
	}
	s := p.db.Stats()
	if p.last != "" {
		p.end[p.last] = s
	}
	if mode != "" {
		p.at[mode] = s
	}
	p.last = mode
}

// print writes one line per measured phase.
func (p *storePhases) print(w io.Writer) {
	if p == nil {
		return
	}
	for _, ph := range []struct{ mode, name string }{{"saturation", "saturation (warm-up included)"}, {"fixed", "fixed rate"}} {
		a, ok1 := p.at[ph.mode]
		b, ok2 := p.end[ph.mode]
		if ok1 && ok2 {
			fmt.Fprintf(w, "baton store, %s: %s\n", ph.name, storeDelta(a, b))
		}
	}
}

// storeDelta summarises the writer and fsync counters between a and b.
func storeDelta(a, b store.Stats) string {
	batches := b.Batches - a.Batches
	writes := b.Requests - a.Requests
	syncs := b.Syncs - a.Syncs
	if batches == 0 || syncs == 0 {
		return "no batches"
	}
	var hist [len(b.SyncBuckets)]uint64
	for i := range hist {
		hist[i] = b.SyncBuckets[i] - a.SyncBuckets[i]
	}
	bounds := store.WALSyncBounds()
	mean := time.Duration((b.SyncSeconds - a.SyncSeconds) / float64(syncs) * 1e9)
	over := func(d time.Duration) uint64 { // fsyncs in buckets above d
		var n uint64
		for i, c := range hist {
			if i > 0 && bounds[i-1] >= d {
				n += c
			}
		}
		return n
	}
	return fmt.Sprintf("%d batches, %.1f writes each; %d fsyncs, mean %s, p50 %s, p99 %s, over 2ms %d, over 4ms %d, over 8ms %d, slowest %s",
		batches, float64(writes)/float64(batches), syncs, ms(mean),
		bucketQuantile(hist[:], bounds, 0.50), bucketQuantile(hist[:], bounds, 0.99),
		over(2*time.Millisecond), over(4*time.Millisecond), over(8*time.Millisecond), slowestBucket(hist[:], bounds))
}

// bucketQuantile returns the upper bound of the bucket holding quantile q of
// the counts in hist, as "≤ bound" (or "> the last bound"): the bucket of
// the ⌈q·n⌉-th smallest of n counts (bench's histogram takes the same rank).
func bucketQuantile(hist []uint64, bounds []time.Duration, q float64) string {
	var total uint64
	for _, c := range hist {
		total += c
	}
	rank := max(uint64(math.Ceil(q*float64(total))), 1)
	var cum uint64
	for i, c := range hist {
		cum += c
		if cum >= rank {
			return bucketName(bounds, i)
		}
	}
	return bucketName(bounds, len(hist)-1)
}

// slowestBucket names the highest bucket with a count.
func slowestBucket(hist []uint64, bounds []time.Duration) string {
	for i := len(hist) - 1; i >= 0; i-- {
		if hist[i] > 0 {
			return bucketName(bounds, i)
		}
	}
	return "none"
}

func bucketName(bounds []time.Duration, i int) string {
	if i < len(bounds) {
		return "≤" + ms(bounds[i])
	}
	return ">" + ms(bounds[len(bounds)-1])
}

// ms formats d in milliseconds with up to four significant digits.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.4gms", float64(d)/float64(time.Millisecond))
}
