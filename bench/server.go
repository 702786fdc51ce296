package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MemorySource reads the memory (and CPU time) of the server a soak
// measures: this process (InProcess) or a Baton in another process, read
// from its admin /metrics (ScrapeMemory).
type MemorySource struct {
	// Name says whose memory it is, for the report.
	Name string
	// Remote is true when the memory is another process's: the load
	// client's own memory and CPU are then not part of the figures.
	Remote bool
	// Read returns the memory now.
	Read func(ctx context.Context) (Memory, error)
}

// InProcess is the MemorySource of this process: the load client and any
// in-process server together. cmem may be nil.
func InProcess(cmem CMemory) MemorySource {
	return MemorySource{
		Name: "this process (the load client and the in-process Baton)",
		Read: func(context.Context) (Memory, error) { return ReadMemory(cmem), nil },
	}
}

// The gauges `baton serve` exports on its admin /metrics for a remote
// soak (cmd/baton registers them; see MemoryMetrics there). The process_*
// and go_* names are the Prometheus client's standard collectors.
const (
	MetricRSSAnon  = "baton_memory_rss_anon_bytes"
	MetricRSSFile  = "baton_memory_rss_file_bytes"
	MetricRSSShmem = "baton_memory_rss_shmem_bytes"
	MetricGoTotal  = "baton_memory_go_total_bytes"
	MetricHeapLive = "baton_memory_go_heap_live_bytes"
	MetricSQLite   = "baton_memory_sqlite_bytes"
)

// ScrapeMemory is the MemorySource of a Baton whose admin /metrics is at
// metricsURL: its RSS (process_resident_memory_bytes), CPU
// (process_cpu_seconds_total), the Go runtime's figures (go_memstats_*,
// go_goroutines, go_gc_duration_seconds_count) and the baton_memory_*
// split. A figure the server does not export reads as unknown (0, or -1
// for SQLite).
func ScrapeMemory(client *http.Client, metricsURL string) MemorySource {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	return MemorySource{
		Name:   "the server process, from " + metricsURL,
		Remote: true,
		Read: func(ctx context.Context) (Memory, error) {
			v, err := scrape(ctx, client, metricsURL)
			if err != nil {
				return Memory{}, fmt.Errorf("bench: server metrics: %w", err)
			}
			return memoryFromMetrics(v)
		},
	}
}

// StoreOwed returns a Target.Owed for a `baton serve` in a process of its
// own: it waits until the server's /metrics (metricsURL) shows no cached
// conversation newer than its rows (MetricCacheDirty 0), i.e. the writer
// has written the users and conversations rows it defers after a turn
// (store.DefaultFlushAge later, a batch at a time when idle), polling
// every poll; an error when that takes longer than within or the metrics
// lack the gauge.
func StoreOwed(client *http.Client, metricsURL string, poll, within time.Duration) func(context.Context) error {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	return func(ctx context.Context) error {
		deadline := time.Now().Add(within)
		for {
			v, err := scrape(ctx, client, metricsURL)
			if err != nil {
				return fmt.Errorf("bench: the server's owed store writes: %w", err)
			}
			dirty, ok := v[MetricCacheDirty]
			if !ok {
				return fmt.Errorf("bench: the server's owed store writes: no %s in %s", MetricCacheDirty, metricsURL)
			}
			if dirty == 0 {
				return nil
			}
			if !time.Now().Before(deadline) {
				return fmt.Errorf("bench: the server still owes %g conversations' rows after %s", dirty, within)
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("bench: the server's owed store writes: %w", ctx.Err())
			case <-time.After(poll):
			}
		}
	}
}

// scrape reads the unlabelled samples of metricsURL.
func scrape(ctx context.Context, client *http.Client, metricsURL string) (map[string]float64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, metricsURL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d from %s", resp.StatusCode, metricsURL)
	}
	return parseMetrics(resp.Body)
}

// memoryFromMetrics builds a Memory from unlabelled samples by name.
func memoryFromMetrics(v map[string]float64) (Memory, error) {
	rss, ok := v["process_resident_memory_bytes"]
	if !ok {
		return Memory{}, fmt.Errorf("no process_resident_memory_bytes in the metrics")
	}
	i := func(name string) int64 { return int64(v[name]) }
	m := Memory{
		RSS: int64(rss), RSSAnon: i(MetricRSSAnon), RSSFile: i(MetricRSSFile), RSSShmem: i(MetricRSSShmem),
		GoTotal: i(MetricGoTotal), HeapLive: i(MetricHeapLive),
		HeapInuse: uint64(v["go_memstats_heap_inuse_bytes"]), Sys: uint64(v["go_memstats_sys_bytes"]),
		GCCycles:   uint64(v["go_gc_duration_seconds_count"]),
		CPU:        time.Duration(v["process_cpu_seconds_total"] * float64(time.Second)),
		Goroutines: int(v["go_goroutines"]),
		C:          -1,
	}
	if c, ok := v[MetricSQLite]; ok {
		m.C = int64(c)
	}
	m.Store = storeFromMetrics(v)
	return m, nil
}

// parseMetrics reads the unlabelled samples of a Prometheus text
// exposition ("name value" lines; comments and labelled samples are
// skipped).
func parseMetrics(r io.Reader) (map[string]float64, error) {
	v := map[string]float64{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' || strings.ContainsRune(line, '{') {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		x, err := strconv.ParseFloat(f[1], 64)
		if err != nil || math.IsNaN(x) {
			continue
		}
		v[f[0]] = x
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	return v, nil
}
