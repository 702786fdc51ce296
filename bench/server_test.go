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
)

// metricsServer serves a Prometheus text exposition whose counters grow by
// one step per scrape, like a server under load, and counts the scrapes.
type metricsServer struct{ scrapes atomic.Int64 }

func (s *metricsServer) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	n := s.scrapes.Add(1)
	fmt.Fprintf(w, `# HELP process_resident_memory_bytes Resident memory size in bytes.
# TYPE process_resident_memory_bytes gauge
process_resident_memory_bytes %d
process_cpu_seconds_total %g
go_gc_duration_seconds{quantile="0.5"} 0.0001
go_gc_duration_seconds_sum 0.5
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
`, 80<<20, 1.5*float64(n), 10*n, MetricRSSAnon, MetricRSSFile, MetricRSSShmem, MetricGoTotal, MetricHeapLive, MetricSQLite)
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
		HeapInuse: 32 << 20, Sys: 64 << 20, GCCycles: 10, CPU: 1500 * time.Millisecond, Goroutines: 42}
	if m != want {
		t.Errorf("got %+v, want %+v", m, want)
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
	}
	var out bytes.Buffer
	if err := rep.Fprint(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"the server process alone", "memory and CPU of: the server process", "soak passed"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("soak report lacks %q:\n%s", want, out.String())
		}
	}
}
