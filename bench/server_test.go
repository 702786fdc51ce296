package bench

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// metricsServer serves a Prometheus text exposition whose counters grow by
// one step per scrape, like a server under load, and counts the scrapes.
type metricsServer struct {
	scrapes atomic.Int64
	noStore bool // serve no store counters (another skill server)
}

func (s *metricsServer) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	n := s.scrapes.Add(1)
	fmt.Fprintf(w, `# HELP process_resident_memory_bytes Resident memory size in bytes.
# TYPE process_resident_memory_bytes gauge
process_resident_memory_bytes %d
process_cpu_seconds_total %g
go_gc_duration_seconds{quantile="0.5"} 0.0001
go_gc_duration_seconds_sum %g
go_gc_duration_seconds_count %d
go_goroutines 42
go_memstats_heap_inuse_bytes 3.3554432e+07
go_memstats_sys_bytes 6.7108864e+07
%s 5.0331648e+07
%s 2.7262976e+07
%s 0
%s 4.194304e+07
%s 1.2582912e+07
%s 1.8874368e+07
baton_store_cache_entries{shard="x"} 7
baton_store_wal_sync_seconds_bucket{le="0.001"} 3
`, 80<<20, 1.5*float64(n), 0.05*float64(n), 10*n, MetricRSSAnon, MetricRSSFile, MetricRSSShmem, MetricGoTotal, MetricHeapLive, MetricSQLite)
	if s.noStore {
		return
	}
	// Per scrape: 100 batches of 4 writes, 0.2 s applying them and 0.1 s
	// committing; 50 fsyncs of 2 ms; 60 checkpoints of 5 ms; 80 cache
	// hits and 20 misses; 3 MB written and 1 MB read; 2 WAL restarts
	// copying 300 pages themselves; 40
	// ms in BEGIN, 10 of them on the WAL gate, 3 stalls; 30 ms
	// of the collector's CPU (and, above, 50 ms of its pauses). The WAL
	// holds n×1000 pages, the cache 3,000 conversations.
	f := float64(n)
	for _, c := range []struct {
		name string
		v    float64
	}{
		{MetricBatches, 100 * f}, {MetricWrites, 400 * f}, {MetricApplySeconds, 0.2 * f}, {MetricCommitSeconds, 0.1 * f},
		{MetricSyncs, 50 * f}, {MetricSyncSeconds, 0.1 * f}, {MetricCheckpoints, 60 * f}, {MetricCheckpointSeconds, 0.3 * f},
		{MetricWALFrames, 1000 * f}, {MetricCacheHits, 80 * f}, {MetricCacheMisses, 20 * f},
		{MetricDiskWrite, 3 * (1 << 20) * f}, {MetricDiskRead, (1 << 20) * f},
		{MetricWALRestarts, 2 * f}, {MetricCacheEntries, 3000}, {MetricGCCPUSeconds, 0.03 * f},
		{MetricBeginSeconds, 0.04 * f}, {MetricBeginStalls, 3 * f}, {MetricWALRestartCopied, 300 * f}, {MetricGateSeconds, 0.01 * f},
	} {
		fmt.Fprintf(w, "%s %g\n", c.name, c.v)
	}
}

func TestScrapeMemory(t *testing.T) {
	ms := &metricsServer{}
	url := strings.TrimSuffix(startServer(t, ms), "/skill") + "/metrics"
	src := ScrapeMemory(nil, url)
	if !src.Remote || !strings.Contains(src.Name, url) {
		t.Errorf("got source %q (remote %v), want a remote one named after %s", src.Name, src.Remote, url)
	}
	m, err := src.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := Memory{RSS: 80 << 20, RSSAnon: 48 << 20, RSSFile: 26 << 20, GoTotal: 40 << 20, HeapLive: 12 << 20, C: 18 << 20,
		HeapInuse: 32 << 20, Sys: 64 << 20, GCCycles: 10, CPU: 1500 * time.Millisecond, Goroutines: 42,
		Store: StoreCounters{Known: true, Batches: 100, Writes: 400, Syncs: 50, Checkpoints: 60, ApplySeconds: 0.2, CommitSeconds: 0.1,
			SyncSeconds: 0.1, CheckpointSeconds: 0.3, WALFrames: 1000, CacheHits: 80, CacheMisses: 20, DiskRead: 1 << 20, DiskWrite: 3 << 20,
			WALRestarts: 2, BeginSeconds: 0.04, BeginStalls: 3, CacheEntries: 3000, GCCPUSeconds: 0.03, GCPauseSeconds: 0.05,
			WALRestartCopied: 300, GateSeconds: 0.01}}
	if m != want {
		t.Errorf("got %+v, want %+v", m, want)
	}

	other := &metricsServer{noStore: true}
	m, err = ScrapeMemory(nil, strings.TrimSuffix(startServer(t, other), "/skill")+"/metrics").Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if m.Store != (StoreCounters{}) {
		t.Errorf("a server without store counters: got %+v, want none known", m.Store)
	}

	bad := ScrapeMemory(nil, startServer(t, BareHandler()))
	if _, err := bad.Read(context.Background()); err == nil {
		t.Error("a URL without metrics: got no error, want one")
	}
}

func TestSoakRemoteSource(t *testing.T) {
	url := startServer(t, BareHandler())
	ms := &metricsServer{}
	src := ScrapeMemory(nil, strings.TrimSuffix(startServer(t, ms), "/skill")+"/metrics")
	l := NewLoad(Target{Name: "bare", URL: url}, testTraffic(), DefaultAnswers(), nil, 0, 7)
	rep, err := Soak(context.Background(), l, 200, 400*time.Millisecond, 200*time.Millisecond, src, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := ms.scrapes.Load(); got != 3 {
		t.Errorf("got %d scrapes, want 3 (before the first window and after each)", got)
	}
	for i, w := range rep.Windows {
		// Each scrape adds 1.5 s of CPU and 10 collections: the window's
		// figures are the server's differences, not this process's CPU.
		if w.Phase.CPU != 1500*time.Millisecond || w.GCs != 10 || w.Memory.RSS != 80<<20 {
			t.Errorf("window %d: got CPU %s, %d GCs, RSS %d; want 1.5s, 10 and %d", i, w.Phase.CPU, w.GCs, w.Memory.RSS, 80<<20)
		}
		// The store's figures are the window's differences too: 400
		// writes in 100 batches, 0.5 ms a write, 1 ms a COMMIT, 2 ms an
		// fsync, 5 ms a checkpoint, 20% misses, 2 WAL restarts of 150
		// pages each, 40 ms in
		// BEGIN (10 on the gate, 3 stalls), 3,000
		// cached, 50 ms of pauses, and the bytes and the collector's 30 ms
		// over the window's turns.
		turns := float64(w.Phase.Counts.Requests)
		want := StoreWindow{Known: true, WritesPerBatch: 4, ApplyPerWrite: 0.0005, CommitPerBatch: 0.001, SyncMean: 0.002,
			CheckpointMean: 0.005, WALFrames: float64(1000 * (i + 2)), DiskWritePerTurn: 3 * (1 << 20) / turns,
			DiskReadPerTurn: (1 << 20) / turns, MissShare: 0.2, WALRestarts: 2, BeginWait: 0.04, BeginStalls: 3, CacheEntries: 3000, GCPerTurn: 0.03 / turns, GCPause: 0.05,
			CopiedPerRestart: 150, GateWait: 0.01}
		if d := cmp.Diff(want, w.Store, cmpopts.EquateApprox(1e-9, 0)); d != "" {
			t.Errorf("window %d store figures (-want +got):\n%s", i, d)
		}
	}
	var out bytes.Buffer
	if err := rep.Fprint(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"the server process alone", "memory and CPU of: the server process", "soak passed",
		"the server's store, per window:", "      4.0     500.0    1000.0      2.00       5.0     2000", "20.0%        2    150.0     40.0     10.0       3     3000",
		"restarts   pg/rst BEGIN ms  gate ms  stalls   cached    GC µs pause ms", "     50.0\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("soak report lacks %q:\n%s", want, out.String())
		}
	}
}
