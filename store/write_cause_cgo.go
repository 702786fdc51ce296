//go:build cgo

package store

import (
	"errors"

	"github.com/mattn/go-sqlite3"
)

// sqliteCause classifies err by the SQLite result code it wraps: the
// Cause* constants, or "" for any other error.
func sqliteCause(err error) string {
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return ""
	}
	switch se.Code {
	case sqlite3.ErrFull:
		return CauseDiskFull
	case sqlite3.ErrReadonly, sqlite3.ErrPerm, sqlite3.ErrCantOpen:
		return CauseReadOnly
	case sqlite3.ErrCorrupt, sqlite3.ErrNotADB:
		return CauseCorrupt
	case sqlite3.ErrIoErr:
		return CauseIO
	case sqlite3.ErrBusy, sqlite3.ErrLocked:
		return CauseLocked
	}
	return ""
}

// isFsyncError reports whether err is SQLite's failed fsync of a file
// (SQLITE_IOERR_FSYNC).
func isFsyncError(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrIoErrFsync
}
