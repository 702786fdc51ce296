package main

import (
	"runtime/metrics"

	"github.com/baton-chat/baton/bench"
	"github.com/prometheus/client_golang/prometheus"
)

// memoryCollector exports the split of the process's memory that `baton
// bench --soak` reads from a Baton in another process (bench.ScrapeMemory):
// RSS by kind, the Go runtime's total and live heap, SQLite's allocations.
// It reads them once per scrape (one runtime.ReadMemStats, a stop of the
// world of microseconds, and /proc/self/status), and the collector's CPU
// time (runtime/metrics), which tells a soak's later minutes whether
// collections of a larger live heap take the time.
type memoryCollector struct {
	descs [6]*prometheus.Desc
	gcCPU *prometheus.Desc
}

// gcCPUMetric is the runtime's estimate of the CPU its collector has used.
const gcCPUMetric = "/cpu/classes/gc/total:cpu-seconds"

func newMemoryCollector() *memoryCollector {
	d := func(name, help string) *prometheus.Desc { return prometheus.NewDesc(name, help, nil, nil) }
	return &memoryCollector{descs: [6]*prometheus.Desc{
		d(bench.MetricRSSAnon, "Resident anonymous memory (Go heap, C heap, stacks; Linux RssAnon)."),
		d(bench.MetricRSSFile, "Resident file-backed memory (the binary, SQLite's -shm; Linux RssFile)."),
		d(bench.MetricRSSShmem, "Resident shared memory (Linux RssShmem)."),
		d(bench.MetricGoTotal, "Memory the Go runtime has mapped and not released."),
		d(bench.MetricHeapLive, "Heap the last garbage collection found reachable."),
		d(bench.MetricSQLite, "Memory SQLite has allocated (sqlite3_memory_used)."),
	}, gcCPU: d(bench.MetricGCCPUSeconds, "CPU time the Go collector has used (the runtime's estimate: mark assists, mark workers, pauses).")}
}

// Describe implements prometheus.Collector.
func (c *memoryCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range c.descs {
		ch <- d
	}
	ch <- c.gcCPU
}

// Collect implements prometheus.Collector.
func (c *memoryCollector) Collect(ch chan<- prometheus.Metric) {
	m := bench.ReadMemory(sqliteMemory)
	for i, v := range []int64{m.RSSAnon, m.RSSFile, m.RSSShmem, m.GoTotal, m.HeapLive, m.C} {
		ch <- prometheus.MustNewConstMetric(c.descs[i], prometheus.GaugeValue, float64(v))
	}
	sample := []metrics.Sample{{Name: gcCPUMetric}}
	metrics.Read(sample)
	if sample[0].Value.Kind() == metrics.KindFloat64 {
		ch <- prometheus.MustNewConstMetric(c.gcCPU, prometheus.CounterValue, sample[0].Value.Float64())
	}
}
