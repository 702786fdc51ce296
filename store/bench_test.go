package store

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkCommitParallel commits realistic turns from many goroutines, each
// with its own users, as concurrent /skill requests would.
func BenchmarkCommitParallel(b *testing.B) {
	ctx := context.Background()
	db, _ := openTestDB(b, Options{})
	var next atomic.Int64
	b.SetParallelism(32) // 32 × GOMAXPROCS concurrent callers
	before := db.Stats()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		key := fmt.Sprintf("bench-user-%d", next.Add(1))
		var version int64
		for pb.Next() {
			w := testTurn(key, version, time.Now())
			if err := db.Commit(ctx, w); err != nil {
				b.Errorf("Commit: %v", err)
				return
			}
			version = w.Conv.Version
		}
	})
	b.StopTimer()
	after := db.Stats()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "turns/s")
	if n := after.Batches - before.Batches; n > 0 {
		b.ReportMetric(float64(after.Requests-before.Requests)/float64(n), "turns/batch")
	}
}

// BenchmarkCommitSerial is one caller committing turn after turn: the cost of
// one fsync per turn, the case group commit exists to avoid.
func BenchmarkCommitSerial(b *testing.B) {
	ctx := context.Background()
	db, _ := openTestDB(b, Options{})
	var version int64
	b.ReportAllocs()
	for b.Loop() {
		w := testTurn("bench-serial", version, time.Now())
		if err := db.Commit(ctx, w); err != nil {
			b.Fatalf("Commit: %v", err)
		}
		version = w.Conv.Version
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "turns/s")
}

// BenchmarkLoadCached loads hot conversations from the cache.
func BenchmarkLoadCached(b *testing.B) {
	ctx := context.Background()
	db, _ := openTestDB(b, Options{})
	const users = 1024
	keys := make([]string, users)
	for i := range keys {
		keys[i] = fmt.Sprintf("bench-user-%d", i)
		if err := db.Commit(ctx, testTurn(keys[i], 0, time.Now())); err != nil {
			b.Fatalf("Commit: %v", err)
		}
	}
	var next atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := int(next.Add(7919))
		for pb.Next() {
			i++
			if _, _, found, err := db.Load(ctx, keys[i%users]); err != nil || !found {
				b.Errorf("Load: found %v, err %v", found, err)
				return
			}
		}
	})
	if st := db.Stats(); st.CacheMisses != 0 {
		b.Errorf("cache misses: got %d, want 0", st.CacheMisses)
	}
}

// BenchmarkLoadCold loads conversations from the read pool (cache disabled).
func BenchmarkLoadCold(b *testing.B) {
	ctx := context.Background()
	db, _ := openTestDB(b, Options{CacheSize: -1})
	const users = 1024
	keys := make([]string, users)
	for i := range keys {
		keys[i] = fmt.Sprintf("bench-user-%d", i)
		if err := db.Commit(ctx, testTurn(keys[i], 0, time.Now())); err != nil {
			b.Fatalf("Commit: %v", err)
		}
	}
	var next atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := int(next.Add(7919))
		for pb.Next() {
			i++
			if _, _, found, err := db.Load(ctx, keys[i%users]); err != nil || !found {
				b.Errorf("Load: found %v, err %v", found, err)
				return
			}
		}
	})
}
