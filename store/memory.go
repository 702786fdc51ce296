package store

/*
// The SQLite library is compiled into the binary by mattn/go-sqlite3; these
// are its public C entry points, declared here so that the store can read
// the library's allocator statistics, which the driver does not expose.
long long sqlite3_memory_used(void);
long long sqlite3_memory_highwater(int resetFlag);
*/
import "C"

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
)

// SQLiteMemory is what the SQLite library has allocated in this process
// (every connection of every database: page caches, schemas, prepared
// statements, lookaside), as sqlite3_memory_used reports it, and the
// highest that figure has been. The allocations come from the C heap, so
// they appear in the process's RSS but not in the Go runtime's figures.
type SQLiteMemory struct {
	Used, Highwater int64
}

// ReadSQLiteMemory returns SQLite's allocations now.
func ReadSQLiteMemory() SQLiteMemory {
	return SQLiteMemory{Used: int64(C.sqlite3_memory_used()), Highwater: int64(C.sqlite3_memory_highwater(0))}
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
//     With SQLite's default (2 MB each) the four read connections went on
//     filling for minutes once the conversation cache began evicting.
//   - The checkpointer copies WAL frames to the database file without its
//     page cache; it gets the readers' size.
//   - sqliteSoftHeapLimit is a process-wide backstop (PRAGMA
//     soft_heap_limit): above it SQLite recycles cached pages instead of
//     allocating new ones, whatever a connection's cache_size allows.
const (
	readerCacheKiB      = 512
	sqliteSoftHeapLimit = 24 << 20
)

// writerCacheParam and readerCacheParam are the DSN parameters giving the
// writer, and a read-only or checkpointer connection, its page cache size.
var (
	writerCacheParam = "&_cache_size=" + strconv.Itoa(-writerCacheKiB)
	readerCacheParam = "&_cache_size=" + strconv.Itoa(-readerCacheKiB)
)

// limitSQLiteMemory sets the process-wide soft heap limit through db.
func limitSQLiteMemory(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, "PRAGMA soft_heap_limit = "+strconv.Itoa(sqliteSoftHeapLimit)); err != nil {
		return fmt.Errorf("store: sqlite soft heap limit: %w", err)
	}
	return nil
}
