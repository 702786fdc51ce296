package bench

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// The store's and the process's disk counters `baton serve` exports on its
// admin /metrics (cmd/baton registers them), which a remote soak reads after
// every window to show what grows with the tables: the writer's time per
// write and per COMMIT, the WAL fsyncs, the checkpointer, the bytes the
// process sent to the disk, and the cache's misses.
const (
	MetricBatches           = "baton_store_batches_total"
	MetricWrites            = "baton_store_writes_total"
	MetricApplySeconds      = "baton_store_apply_seconds_total"
	MetricCommitSeconds     = "baton_store_commit_seconds_total"
	MetricSyncSeconds       = "baton_store_wal_sync_seconds_sum"
	MetricSyncs             = "baton_store_wal_sync_seconds_count"
	MetricCheckpoints       = "baton_store_checkpoints_total"
	MetricCheckpointSeconds = "baton_store_checkpoint_seconds_total"
	MetricWALFrames         = "baton_store_wal_frames"
	MetricCacheHits         = "baton_store_cache_hits_total"
	MetricCacheMisses       = "baton_store_cache_misses_total"
	MetricDiskRead          = "baton_process_disk_read_bytes_total"
	MetricDiskWrite         = "baton_process_disk_write_bytes_total"
	// MetricCacheDirty is a gauge: the cached conversations newer than
	// their rows, which the writer still owes (store.Stats.Dirty).
	MetricCacheDirty = "baton_store_cache_dirty"
	// MetricBeginSeconds and MetricBeginStalls are the writer's time in
	// BEGIN and its BEGINs of 5 ms or more: waits for another connection's
	// write lock (the checkpointer's RESTART), which every turn arriving
	// meanwhile waits out.
	MetricBeginSeconds = "baton_store_begin_seconds_total"
	MetricBeginStalls  = "baton_store_begin_stalls_total"
	// MetricGateSeconds is the part of BEGIN's time spent waiting on the
	// WAL gate for a RESTART: the writer held off, which BEGIN IMMEDIATE's
	// own tens of µs a batch hide in MetricBeginSeconds.
	MetricGateSeconds = "baton_store_wal_gate_wait_seconds_total"
	// MetricCacheEntries is a gauge: the conversations cached now.
	MetricCacheEntries = "baton_store_cache_entries"
	// MetricWALRestarts counts the checkpoints that started the WAL over
	// (each one stalls the writer for the tail of a second's frames).
	MetricWALRestarts = "baton_store_wal_restarts_total"
	// MetricWALRestartCopied counts the pages the WAL restarts copied
	// themselves, while the writer waited for them.
	MetricWALRestartCopied = "baton_store_wal_restart_copied_frames_total"
	// MetricGCCPUSeconds is the Go runtime's estimate of the CPU time its
	// collector has spent (runtime/metrics /cpu/classes/gc/total:cpu-seconds:
	// mark assists, mark workers and pauses), and MetricGCPauseSeconds the
	// stop-the-world pauses' total (the Go collector's summary).
	MetricGCCPUSeconds   = "baton_go_gc_cpu_seconds_total"
	MetricGCPauseSeconds = "go_gc_duration_seconds_sum"
)

// StoreCounters are a server's store, disk and collector counters at one
// moment (cumulative, except WALFrames and CacheEntries). Known is false
// where the server exports none (an in-process soak, or another skill
// server).
type StoreCounters struct {
	Known                                    bool
	Batches, Writes, Syncs, Checkpoints      float64
	ApplySeconds, CommitSeconds, SyncSeconds float64
	CheckpointSeconds, WALFrames             float64
	WALRestarts, BeginSeconds, BeginStalls   float64
	CacheHits, CacheMisses, CacheEntries     float64
	// GCCPUSeconds and GCPauseSeconds are -1 where the server does not
	// export them (a Baton from before they were); so are
	// WALRestartCopied and GateSeconds.
	GCCPUSeconds, GCPauseSeconds  float64
	WALRestartCopied, GateSeconds float64
	// DiskRead and DiskWrite are -1 where the server does not know them
	// (not Linux).
	DiskRead, DiskWrite float64
}

// storeFromMetrics picks the StoreCounters out of unlabelled samples.
func storeFromMetrics(v map[string]float64) StoreCounters {
	if _, ok := v[MetricBatches]; !ok {
		return StoreCounters{}
	}
	disk := func(name string) float64 {
		if x, ok := v[name]; ok {
			return x
		}
		return -1
	}
	return StoreCounters{
		Known: true, Batches: v[MetricBatches], Writes: v[MetricWrites], Syncs: v[MetricSyncs], Checkpoints: v[MetricCheckpoints],
		ApplySeconds: v[MetricApplySeconds], CommitSeconds: v[MetricCommitSeconds], SyncSeconds: v[MetricSyncSeconds],
		CheckpointSeconds: v[MetricCheckpointSeconds], WALFrames: v[MetricWALFrames],
		WALRestarts: v[MetricWALRestarts], BeginSeconds: v[MetricBeginSeconds], BeginStalls: v[MetricBeginStalls],
		CacheHits: v[MetricCacheHits], CacheMisses: v[MetricCacheMisses], CacheEntries: v[MetricCacheEntries],
		DiskRead: disk(MetricDiskRead), DiskWrite: disk(MetricDiskWrite),
		GCCPUSeconds: disk(MetricGCCPUSeconds), GCPauseSeconds: disk(MetricGCPauseSeconds),
		WALRestartCopied: disk(MetricWALRestartCopied), GateSeconds: disk(MetricGateSeconds),
	}
}

// StoreWindow is what a soak window cost the server's store: the
// differences of two StoreCounters over the window's turns.
type StoreWindow struct {
	Known bool
	// WritesPerBatch is the writes each group commit carried.
	WritesPerBatch float64
	// ApplyPerWrite is the writer's time running one write's statements
	// (B-tree work, and reads of pages SQLite's cache no longer holds);
	// CommitPerBatch a COMMIT's (writing the batch's pages to the WAL).
	ApplyPerWrite, CommitPerBatch float64 // seconds
	// SyncMean is a WAL fsync's mean duration.
	SyncMean float64 // seconds
	// CheckpointMean is a checkpointer run's mean duration; WALFrames
	// the WAL's size in pages at the window's last run.
	CheckpointMean float64 // seconds
	WALFrames      float64
	// DiskWritePerTurn and DiskReadPerTurn are the bytes the process sent
	// to and fetched from the storage layer per turn of the window (-1
	// where unknown).
	DiskWritePerTurn, DiskReadPerTurn float64
	// MissShare is the share of conversation loads the cache missed.
	MissShare float64
	// WALRestarts is the checkpoints of the window that started the WAL
	// over; CacheEntries the conversations cached at its end.
	WALRestarts, CacheEntries float64
	// CopiedPerRestart is the pages each of those restarts copied itself
	// while the writer waited (-1 where unknown, 0 without restarts).
	CopiedPerRestart float64
	// BeginWait is the writer's time in BEGIN over the window (seconds),
	// BeginStalls its BEGINs of 5 ms or more, GateWait the part of
	// BeginWait spent on the WAL gate for RESTARTs (-1 where unknown).
	BeginWait, BeginStalls, GateWait float64
	// GCPerTurn is the collector's CPU per turn of the window, GCPause its
	// stop-the-world pauses' total (seconds; -1 where unknown).
	GCPerTurn, GCPause float64
}

// storeWindow returns the window between counters a and b, over turns
// turns.
func storeWindow(a, b StoreCounters, turns uint64) StoreWindow {
	if !a.Known || !b.Known {
		return StoreWindow{}
	}
	div := func(x, y float64) float64 {
		if y <= 0 {
			return 0
		}
		return x / y
	}
	diff := func(x, y float64) float64 {
		if x < 0 || y < 0 {
			return -1
		}
		return y - x
	}
	perTurn := func(x, y float64) float64 {
		if x < 0 || y < 0 {
			return -1
		}
		return div(y-x, float64(turns))
	}
	return StoreWindow{
		Known:            true,
		WritesPerBatch:   div(b.Writes-a.Writes, b.Batches-a.Batches),
		ApplyPerWrite:    div(b.ApplySeconds-a.ApplySeconds, b.Writes-a.Writes),
		CommitPerBatch:   div(b.CommitSeconds-a.CommitSeconds, b.Batches-a.Batches),
		SyncMean:         div(b.SyncSeconds-a.SyncSeconds, b.Syncs-a.Syncs),
		CheckpointMean:   div(b.CheckpointSeconds-a.CheckpointSeconds, b.Checkpoints-a.Checkpoints),
		WALFrames:        b.WALFrames,
		DiskWritePerTurn: perTurn(a.DiskWrite, b.DiskWrite),
		DiskReadPerTurn:  perTurn(a.DiskRead, b.DiskRead),
		MissShare:        div(b.CacheMisses-a.CacheMisses, (b.CacheMisses-a.CacheMisses)+(b.CacheHits-a.CacheHits)),
		WALRestarts:      b.WALRestarts - a.WALRestarts,
		BeginWait:        b.BeginSeconds - a.BeginSeconds,
		BeginStalls:      b.BeginStalls - a.BeginStalls,
		CacheEntries:     b.CacheEntries,
		GCPerTurn:        perTurn(a.GCCPUSeconds, b.GCCPUSeconds),
		GCPause:          diff(a.GCPauseSeconds, b.GCPauseSeconds),
		GateWait:         diff(a.GateSeconds, b.GateSeconds),
		CopiedPerRestart: perRestart(a.WALRestartCopied, b.WALRestartCopied, b.WALRestarts-a.WALRestarts),
	}
}

// perRestart returns the growth from x to y per restart (-1 where x or y
// is unknown).
func perRestart(x, y, restarts float64) float64 {
	if x < 0 || y < 0 {
		return -1
	}
	if restarts <= 0 {
		return 0
	}
	return (y - x) / restarts
}

// columns formats w for the soak report's store table.
func (w StoreWindow) columns() string {
	kb := func(x float64) string {
		if x < 0 {
			return "-"
		}
		return fmt.Sprintf("%.1f", x/1024)
	}
	scaled := func(x, by float64) string {
		if x < 0 {
			return "-"
		}
		return fmt.Sprintf("%.1f", x*by)
	}
	return fmt.Sprintf("%9.1f %9.1f %9.1f %9.2f %9.1f %8.0f %10s %10s %7.1f%% %8.0f %8s %8.1f %8s %7.0f %8.0f %8s %8s",
		w.WritesPerBatch, 1e6*w.ApplyPerWrite, 1e6*w.CommitPerBatch, 1e3*w.SyncMean, 1e3*w.CheckpointMean, w.WALFrames,
		kb(w.DiskWritePerTurn), kb(w.DiskReadPerTurn), 100*w.MissShare, w.WALRestarts, scaled(w.CopiedPerRestart, 1), 1e3*w.BeginWait, scaled(w.GateWait, 1e3), w.BeginStalls, w.CacheEntries,
		scaled(w.GCPerTurn, 1e6), scaled(w.GCPause, 1e3))
}

// ReadDiskIO returns the bytes this process has caused to be fetched from
// and sent to the storage layer (Linux /proc/self/io read_bytes and
// write_bytes; page-cache writeback counts for the process that dirtied the
// page). ok is false where the file does not exist.
func ReadDiskIO() (read, write int64, ok bool) {
	b, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return 0, 0, false
	}
	var got int
	for line := range strings.Lines(string(b)) {
		key, val, found := strings.Cut(strings.TrimSpace(line), ": ")
		if !found {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(val), 10, 64)
		if err != nil {
			continue
		}
		switch key {
		case "read_bytes":
			read, got = n, got+1
		case "write_bytes":
			write, got = n, got+1
		}
	}
	return read, write, got == 2
}
