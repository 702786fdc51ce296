package main

import (
	"github.com/baton-chat/baton/bench"
	"github.com/baton-chat/baton/store"
	"github.com/prometheus/client_golang/prometheus"
)

// registerStoreMetrics exports the group-commit writer's and the cache's
// counters: queue depth, batches and their sizes, time in statements, in
// COMMIT and in the WAL fsyncs that release replies, cache hits and misses.
func registerStoreMetrics(reg prometheus.Registerer, db *store.DB) {
	gauge := func(name, help string, f func(store.Stats) float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 { return f(db.Stats()) })
	}
	counter := func(name, help string, f func(store.Stats) float64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, func() float64 { return f(db.Stats()) })
	}
	reg.MustRegister(
		gauge("baton_store_writer_queue_depth", "Writes waiting for the group-commit writer.", func(s store.Stats) float64 { return float64(s.QueueDepth) }),
		counter("baton_store_batches_total", "Transactions the group-commit writer committed or tried.", func(s store.Stats) float64 { return float64(s.Batches) }),
		counter("baton_store_writes_total", "Writes (turns and others) carried by those transactions.", func(s store.Stats) float64 { return float64(s.Requests) }),
		counter("baton_store_failed_batches_total", "Batches that failed as a whole.", func(s store.Stats) float64 { return float64(s.FailedBatch) }),
		counter("baton_store_apply_seconds_total", "Writer time running statements.", func(s store.Stats) float64 { return s.ApplySeconds }),
		counter("baton_store_commit_seconds_total", "Writer time in COMMIT (WAL writes; the fsync is the syncer's).", func(s store.Stats) float64 { return s.CommitSeconds }),
		counter(bench.MetricBeginSeconds, "Writer time in BEGIN: BEGIN IMMEDIATE itself (tens of µs a batch) and the wait on the WAL gate (baton_store_wal_gate_wait_seconds_total).", func(s store.Stats) float64 { return s.BeginSeconds }),
		counter(bench.MetricGateSeconds, "Writer time waiting on the WAL gate while the checkpointer restarted the WAL (part of BEGIN's time).", func(s store.Stats) float64 { return s.GateSeconds }),
		counter(bench.MetricBeginStalls, "BEGINs of the writer that waited 5 ms or more.", func(s store.Stats) float64 { return float64(s.BeginStalls) }),
		walSyncCollector{db},
		gauge("baton_store_cache_entries", "Conversations in the write-through cache.", func(s store.Stats) float64 { return float64(s.CacheEntries) }),
		counter("baton_store_cache_hits_total", "Loads answered by the cache.", func(s store.Stats) float64 { return float64(s.CacheHits) }),
		counter("baton_store_cache_misses_total", "Loads that read the table.", func(s store.Stats) float64 { return float64(s.CacheMisses) }),
		counter(bench.MetricCheckpoints, "Runs of the background WAL checkpointer (once a second).", func(s store.Stats) float64 { return float64(s.Checkpoints) }),
		counter(bench.MetricCheckpointSeconds, "Time the background checkpointer spent writing the WAL's pages into the database file.", func(s store.Stats) float64 { return s.CheckpointSeconds }),
		counter("baton_store_wal_restarts_total", "Checkpoints that started the WAL over because it had grown past its limit.", func(s store.Stats) float64 { return float64(s.WALRestarts) }),
		counter("baton_store_wal_restart_copied_frames_total", "Pages the WAL restarts copied themselves, while the writer waited (catch-up PASSIVE passes before each copy the rest).", func(s store.Stats) float64 { return float64(s.WALRestartCopied) }),
		counter("baton_store_db_file_syncs_total", "fdatasyncs of the database file the checkpointer makes before each WAL restart, outside the writer's way.", func(s store.Stats) float64 { return float64(s.DBFileSyncs) }),
		counter("baton_store_db_file_sync_seconds_total", "Time those fdatasyncs of the database file took (the flush of the pages the checkpoints copied since the last restart).", func(s store.Stats) float64 { return s.DBFileSyncSeconds }),
		gauge(bench.MetricWALFrames, "The WAL's size in pages at the checkpointer's last run.", func(s store.Stats) float64 { return float64(s.WALFrames) }),
		gauge(bench.MetricCacheDirty, "Cached conversations newer than their users/conversations rows (their turns are in the journal; the writer writes those rows within seconds).", func(s store.Stats) float64 { return float64(s.Dirty) }),
	)
	if _, _, ok := bench.ReadDiskIO(); ok {
		disk := func(name, help string, write bool) prometheus.Collector {
			return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, func() float64 {
				r, w, _ := bench.ReadDiskIO()
				if write {
					return float64(w)
				}
				return float64(r)
			})
		}
		reg.MustRegister(
			disk(bench.MetricDiskRead, "Bytes this process caused to be read from the storage layer (Linux /proc/self/io read_bytes).", false),
			disk(bench.MetricDiskWrite, "Bytes this process caused to be written to the storage layer (Linux /proc/self/io write_bytes: the WAL, the checkpoints, NATS).", true),
		)
	}
}

// walSyncDesc describes the WAL fsync histogram.
var walSyncDesc = prometheus.NewDesc("baton_store_wal_sync_seconds",
	"Duration of the fsyncs of the WAL; each releases the replies of every batch committed before it began, so a reply waits for one or two of them.",
	nil, nil)

// walSyncCollector exports the store's fsync durations (store.Stats.SyncBuckets)
// as a Prometheus histogram.
type walSyncCollector struct{ db *store.DB }

// Describe implements prometheus.Collector.
func (c walSyncCollector) Describe(ch chan<- *prometheus.Desc) { ch <- walSyncDesc }

// Collect implements prometheus.Collector.
func (c walSyncCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.db.Stats()
	bounds := store.WALSyncBounds()
	buckets := make(map[float64]uint64, len(bounds))
	var n uint64
	for i, b := range bounds {
		n += s.SyncBuckets[i]
		buckets[b.Seconds()] = n
	}
	ch <- prometheus.MustNewConstHistogram(walSyncDesc, s.Syncs, s.SyncSeconds, buckets)
}
