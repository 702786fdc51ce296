package main

import (
	"context"
	"database/sql"
	"net"
	"net/http"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/bench"
	"github.com/baton-chat/baton/store"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// TestWALSyncHistogram: the store's fsyncs are exported as a histogram whose
// count and sum are the store's, with cumulative buckets at its bounds.
func TestWALSyncHistogram(t *testing.T) {
	db := storeWithWrites(t)
	reg := prometheus.NewRegistry()
	registerStoreMetrics(reg, db)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	st := db.Stats() // no writes since: the same fsyncs as gathered
	var found bool
	for _, mf := range mfs {
		if mf.GetName() != "baton_store_wal_sync_seconds" {
			continue
		}
		found = true
		h := mf.GetMetric()[0].GetHistogram()
		if h.GetSampleCount() != st.Syncs || st.Syncs == 0 {
			t.Errorf("sample count %d, store fsyncs %d; want equal and > 0", h.GetSampleCount(), st.Syncs)
		}
		if h.GetSampleSum() != st.SyncSeconds {
			t.Errorf("sample sum %g, want the store's %g", h.GetSampleSum(), st.SyncSeconds)
		}
		bounds := store.WALSyncBounds()
		if got := len(h.GetBucket()); got != len(bounds) {
			t.Fatalf("%d buckets, want %d", got, len(bounds))
		}
		var cum uint64
		for i, b := range h.GetBucket() {
			cum += st.SyncBuckets[i]
			if b.GetUpperBound() != bounds[i].Seconds() || b.GetCumulativeCount() != cum {
				t.Errorf("bucket %d: got le=%g count %d, want le=%g count %d", i, b.GetUpperBound(), b.GetCumulativeCount(), bounds[i].Seconds(), cum)
			}
		}
	}
	if !found {
		t.Error("no baton_store_wal_sync_seconds in the registry")
	}
}

// TestStoreCountersScraped: the store's counters a remote soak compares
// window by window (bench.StoreCounters) are on /metrics under the names
// the bench reads, with the store's values, and on Linux the process's
// disk bytes beside them; so are the collector's CPU and pauses.
func TestStoreCountersScraped(t *testing.T) {
	ctx := context.Background()
	db := storeWithWrites(t)
	reg := prometheus.NewRegistry()
	registerStoreMetrics(reg, db)
	reg.MustRegister(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), collectors.NewGoCollector(), newMemoryCollector())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: promhttp.HandlerFor(reg, promhttp.HandlerOpts{})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	runtime.GC() // the collector has used some CPU
	// No writes run now, but the checkpointer counts a run every second:
	// scrape again if one landed between the scrape and the store's reading.
	var m bench.Memory
	var st store.Stats
	for range 5 {
		before := db.Stats()
		var err error
		if m, err = bench.ScrapeMemory(nil, metricsURL("http://"+ln.Addr().String())).Read(ctx); err != nil {
			t.Fatal(err)
		}
		if st = db.Stats(); st.Checkpoints == before.Checkpoints {
			break
		}
	}
	got := m.Store
	if !got.Known || got.Batches != float64(st.Batches) || got.Writes != float64(st.Requests) || got.Batches == 0 ||
		got.Syncs != float64(st.Syncs) || got.Checkpoints != float64(st.Checkpoints) || got.WALFrames != float64(st.WALFrames) {
		t.Errorf("scraped %+v; want the store's %+v", got, st)
	}
	if got.CacheEntries != float64(st.CacheEntries) || got.WALRestarts != float64(st.WALRestarts) ||
		got.BeginSeconds != st.BeginSeconds || got.BeginSeconds == 0 || got.BeginStalls != float64(st.BeginStalls) {
		t.Errorf("scraped cache entries %g, WAL restarts %g, BEGIN %g s (%g stalls); want the store's %d, %d, %g s above 0 (%d)",
			got.CacheEntries, got.WALRestarts, got.BeginSeconds, got.BeginStalls, st.CacheEntries, st.WALRestarts, st.BeginSeconds, st.BeginStalls)
	}
	if got.GateSeconds != st.GateSeconds || got.GateSeconds < 0 {
		t.Errorf("scraped %g s on the WAL gate, want the store's %g", got.GateSeconds, st.GateSeconds)
	}
	if got.WALRestartCopied != float64(st.WALRestartCopied) {
		t.Errorf("scraped %g pages copied by WAL restarts, want the store's %d (exported: -1 is not)", got.WALRestartCopied, st.WALRestartCopied)
	}
	if got.GCCPUSeconds <= 0 || got.GCPauseSeconds < 0 {
		t.Errorf("scraped the collector's CPU %g s, pauses %g s; want both known, the CPU above 0 after a collection", got.GCCPUSeconds, got.GCPauseSeconds)
	}
	if _, _, ok := bench.ReadDiskIO(); ok && (got.DiskWrite < 0 || got.DiskRead < 0) {
		t.Errorf("scraped disk bytes read %g, written %g; want both known where /proc/self/io is", got.DiskRead, got.DiskWrite)
	}
}

// storeWithWrites opens a store in a temp dir and commits three empty
// writes, so that its writer and fsync counters are not zero.
func storeWithWrites(t *testing.T) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "baton.db"), store.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	for range 3 {
		if err := db.Write(ctx, func(*sql.Tx) error { return nil }); err != nil {
			t.Fatalf("write: %v", err)
		}
	}
	return db
}

// TestStoreOwedWaitsForTheJournal: a user's second turn leaves their
// conversation newer than its row (the journal holds it); a real serve's
// /metrics shows it as baton_store_cache_dirty, bench.StoreOwed waits on it
// (what baton bench --separate counts in a phase), and returns once the
// writer has written the row.
func TestStoreOwedWaitsForTheJournal(t *testing.T) {
	t.Parallel()
	m := startBaton(t, exampleConfig, t.TempDir(), nil)
	for _, u := range []string{"안녕하세요", "배송 조회"} {
		if code, out := postSkill(t, m, turn{User: "owed-user", Utterance: u}.payload(), nil); code != http.StatusOK {
			t.Fatalf("turn %q: got %d %s", u, code, out)
		}
	}
	if d := m.DB.Stats().Dirty; d < 1 {
		t.Fatalf("after a cached user's turn: %d dirty conversations, want at least 1", d)
	}
	owed := bench.StoreOwed(nil, "http://"+m.AdminAddrBound()+"/metrics", 10*time.Millisecond, 100*time.Millisecond)
	if err := owed(context.Background()); err == nil || !strings.Contains(err.Error(), "still owes") {
		t.Fatalf("with the row not yet written: got %v, want a timeout saying what is owed", err)
	}
	if err := m.DB.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := owed(context.Background()); err != nil {
		t.Errorf("after the writer wrote the row: got %v, want nil", err)
	}
	if err := bench.StoreOwed(nil, "http://"+m.PublicAddr()+"/healthz", 10*time.Millisecond, time.Second)(context.Background()); err == nil {
		t.Error("a URL without the gauge: got nil, want an error")
	}
}
