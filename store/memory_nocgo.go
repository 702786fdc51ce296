//go:build !cgo

package store

import (
	"errors"

	"github.com/mattn/go-sqlite3"
)

// Without cgo, mattn/go-sqlite3 is a stub whose Open always fails: the
// store cannot run. These stand-ins only let the package (and its
// dependents) build and vet on platforms compiled without a C toolchain,
// e.g. `GOOS=darwin go vet ./...` from Linux.

// errNoCgo is connExec's error without cgo.
var errNoCgo = errors.New("store: SQLite needs a binary built with cgo (CGO_ENABLED=1)")

// ReadSQLiteMemory returns zero: without cgo there is no SQLite library.
func ReadSQLiteMemory() SQLiteMemory { return SQLiteMemory{} }

// connExec returns errNoCgo: without cgo no connection ever opens.
func connExec(*sqlite3.SQLiteConn, string) error { return errNoCgo }
