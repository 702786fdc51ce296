package store

import (
	"strconv"
)

// SQLiteMemory is what the SQLite library has allocated in this process
// (every connection of every database: page caches, schemas, prepared
// statements, lookaside), as sqlite3_memory_used reports it, and the
// highest that figure has been. The allocations come from the C heap, so
// they appear in the process's RSS but not in the Go runtime's figures.
// ReadSQLiteMemory (memory_cgo.go) reads it.
type SQLiteMemory struct {
	Used, Highwater int64
}

// SQLite's memory is bounded so that it reaches its bound within the first
// minute of steady load instead of creeping up as the database grows: each
// page cache keeps every page it has read until it is full, so a cache
// larger than what the connection needs only delays its filling.
//
//   - The writer keeps its 16 MB cache (writerCacheKiB): turns update
//     conversation rows at random and a smaller cache costs a pread per
//     dropped page. At 1,000 turns/s it is full within a minute.
//   - Readers answer point reads by key (a user the conversation cache
//     does not hold, admin look-ups): the interior pages of those B-trees
//     fit in readerCacheKiB, and a leaf page comes from the OS page cache.
//     With SQLite's default (2 MB each) the four read connections would
//     start filling only once the conversation cache evicts (after minutes
//     of new users) and misses are read, adding up to 8 MB late in a soak.
//   - The checkpointer copies WAL frames to the database file without its
//     page cache; it gets the readers' size (it had the writer's 16 MB:
//     the writer's connect hook set it).
//
// There is no PRAGMA soft_heap_limit: the caches above bound SQLite's total
// already (its high-water mark was 17.8 MB in the first minute of a soak at
// 1,000 turns/s), and the limit is process-wide: once the total passes
// it, every page cache counts as under memory pressure, the writer's
// included, which then recycles and spills pages in the middle of a group
// commit.
const readerCacheKiB = 512

// writerCacheParam and readerCacheParam are the DSN parameters giving the
// writer, and a read-only or checkpointer connection, its page cache size.
var (
	writerCacheParam = "&_cache_size=" + strconv.Itoa(-writerCacheKiB)
	readerCacheParam = "&_cache_size=" + strconv.Itoa(-readerCacheKiB)
)

// readerStmtCacheParam keeps each read connection's last 32 prepared
// statements (go-sqlite3's statement cache): the reads of a turn (a
// handoff, its queue position, a transcript) are a few fixed queries, and
// preparing one again on every call cost as much as running it.
const readerStmtCacheParam = "&_stmt_cache_size=32"

// walRestartFrames bounds the WAL (and the -shm index mapped into every
// connection, 32 KB per 4,096 frames): at 4 KB pages, 64 MB of WAL.
//
// A PASSIVE checkpoint copies frames without blocking anyone, but the WAL
// file starts over only when a write transaction begins after a checkpoint
// has copied every frame; under steady load the writer always appends a
// batch before that happens, so the WAL grew without end (6 GB of WAL and
// 11 MB of resident -shm after 8 minutes at 600 turns/s). Once the WAL is
// over walRestartFrames, the checkpointer runs a RESTART checkpoint: it
// takes the WAL gate between two of the writer's batches (db.walGate: the
// writer waits on it, not in SQLite's busy handler), copies the
// frames appended since the last PASSIVE pass, and waits for readers to
// leave the WAL, so that the next batch writes from the start of the file.
// The writer waits for that checkpoint about once per walRestartFrames of
// writes; catch-up passes just before it (restartCatchUps) keep its copy
// to the frames of a few milliseconds instead of a second's (a RESTART
// then holds the writer for a few ms: docs/benchmarks-history.md, session
// 19). While a long reader keeps the RESTART busy, it waits only briefly
// and backs off (walrestart.go).
const walRestartFrames = 16384

// restartCatchUps bounds the PASSIVE passes run just before a RESTART; a
// pass that found at most restartTailFrames frames to copy ends them (the
// writer appended little while it ran).
const (
	restartCatchUps   = 3
	restartTailFrames = 256
)

// checkpoint runs one background checkpoint: PASSIVE, then RESTART when
// the WAL is over db.walLimit frames and no RESTART is being backed off
// (restartCheckpoint). It returns the step that failed and its error, for
// the caller to log within bounds (checkpoint_health.go).
func (db *DB) checkpoint() (string, error) {
	var busy, frames, copied int64
	passive := func() error {
		return db.ckpt.QueryRow("PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied)
	}
	run := passive
	if db.ckptHook != nil {
		run = func() error { return db.ckptHook(passive) }
	}
	if err := run(); err != nil {
		return "passive checkpoint", err
	}
	db.walFrames.Store(frames)
	if frames <= db.walLimit {
		return "", nil
	}
	if db.restartSkip > 0 {
		db.restartSkip--
		return "", nil
	}
	if db.writer.sync.failed() != nil {
		// An fsync failed (dbsync.go, walsync.go): the pages it could not
		// write may live only in the WAL now, so the WAL must not start
		// over until a restart has replayed it.
		return "", nil
	}
	if frames == db.restartedAt {
		// Nothing written since the last RESTART: the WAL starts over at
		// the next write; another RESTART would only take the gate.
		return "", nil
	}
	// Sync what the passes since the last RESTART copied into the database
	// file, which no PASSIVE pass under load syncs (dbsync.go): the
	// RESTART would otherwise fsync all of it while the writer waits.
	if err := db.syncDBFile(); err != nil {
		return "sync the database file", err
	}
	// Catch up before the RESTART, which holds the writer off while it
	// copies: each PASSIVE pass copies what the writer appended during the
	// one before (about a second's frames after the first, then those of
	// the fdatasync above), so the RESTART copies only the last pass's few
	// and the writer's BEGIN waits for little more than their fsync.
	prev := copied
	for range restartCatchUps {
		if err := run(); err != nil {
			return "passive checkpoint", err
		}
		found := frames - prev // the frames this pass had to copy
		prev = copied
		if found <= restartTailFrames {
			break
		}
	}
	db.walFrames.Store(frames)
	if err := db.restartCheckpoint(copied); err != nil {
		return "restart checkpoint", err
	}
	return "", nil
}
