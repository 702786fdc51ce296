package store

/*
// The SQLite library is compiled into the binary by mattn/go-sqlite3; these
// are its public C entry points, declared here so that the store can read
// the library's allocator statistics, which the driver does not expose.
long long sqlite3_memory_used(void);
long long sqlite3_memory_highwater(int resetFlag);
*/
import "C"

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
