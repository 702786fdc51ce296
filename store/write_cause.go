package store

import (
	"errors"
	"fmt"
)

// Causes of a store failure, as Cause names them in logs, /readyz and
// errors (docs/ops.md, "Disk full, read-only or corrupted store").
const (
	CauseDiskFull = "disk full"
	CauseReadOnly = "read-only"
	CauseCorrupt  = "database corrupted"
	CauseIO       = "I/O error"
	CauseLocked   = "locked by another connection"
)

// ErrCorrupt is wrapped by Open's error when the database file is not a
// SQLite database or is damaged: restore the latest backup (docs/ops.md).
var ErrCorrupt = errors.New("store: database file is corrupted")

// ErrNotWritable is wrapped by Open's error when the database file, its
// -wal or -shm file or their directory cannot be written.
var ErrNotWritable = errors.New("store: not writable")

// Cause names what err says about the store: one of the Cause* constants
// (CauseDiskFull for SQLITE_FULL, ...), or "" when err carries no SQLite
// result code Baton classifies.
func Cause(err error) string {
	switch {
	case errors.Is(err, ErrCorrupt):
		return CauseCorrupt
	case errors.Is(err, ErrNotWritable):
		return CauseReadOnly
	}
	return sqliteCause(err)
}

// openError gives an error of Open on path the cause an operator acts on:
// a corrupted file points at the backups, a read-only or full one says so.
// Other errors are returned as they are.
func openError(path string, err error) error {
	switch Cause(err) {
	case CauseCorrupt:
		if errors.Is(err, ErrCorrupt) {
			return err
		}
		return fmt.Errorf("%w: %s: %w (stop baton, keep the file aside and restore the latest backup: docs/ops.md, \"Disk full, read-only or corrupted store\")",
			ErrCorrupt, path, err)
	case CauseReadOnly:
		if errors.Is(err, ErrNotWritable) {
			return err
		}
		return fmt.Errorf("%w: %s or its directory: %w (baton's user must own the data directory and its files: docs/ops.md, \"Disk full, read-only or corrupted store\")", ErrNotWritable, path, err)
	case CauseDiskFull:
		return fmt.Errorf("store: %s: disk full: %w (free space on its file system: docs/ops.md, \"Disk full, read-only or corrupted store\")", path, err)
	}
	return err
}
