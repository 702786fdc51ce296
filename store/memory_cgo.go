//go:build cgo

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
	"database/sql/driver"

	"github.com/mattn/go-sqlite3"
)

// ReadSQLiteMemory returns SQLite's allocations now.
func ReadSQLiteMemory() SQLiteMemory {
	return SQLiteMemory{Used: int64(C.sqlite3_memory_used()), Highwater: int64(C.sqlite3_memory_highwater(0))}
}

// connExec runs query on a new SQLite connection (the writer's connect
// hook). It needs the cgo driver: without cgo (memory_nocgo.go) there is no
// SQLite and no connection to run it on.
func connExec(c *sqlite3.SQLiteConn, query string) error {
	_, err := c.Exec(query, []driver.Value(nil))
	return err
}
