package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// dataLockName is the lock file `baton serve` holds in its data directory
// for its whole life, so a second serve on the same --data is refused
// instead of sharing the one writer, outbox and JetStream store.
const dataLockName = "baton.lock"

// errDataDirInUse is returned by lockDataDir when another process holds the
// data directory's lock.
var errDataDirInUse = errors.New("data directory in use by another baton serve")

// lockDataDir creates dir (0700) if needed and takes an exclusive lock on
// <dir>/baton.lock (0600) without waiting. The returned file holds the lock
// until it is closed or the process exits (the kernel releases it even after
// SIGKILL). It returns an error wrapping errDataDirInUse, naming dir, when
// another process holds the lock, and a wrapped I/O error otherwise.
// Read-only tools (baton report, backups) do not take the lock.
func lockDataDir(dir string) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("baton serve: create data directory %s: %w", dir, err)
	}
	path := filepath.Join(dir, dataLockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("baton serve: open lock file %s: %w", path, err)
	}
	if err := tryLock(f); err != nil {
		_ = f.Close()
		if errors.Is(err, errDataDirInUse) {
			return nil, fmt.Errorf("baton serve: %s: %w (one serve per --data; stop the other first)", dir, err)
		}
		return nil, fmt.Errorf("baton serve: lock %s: %w", path, err)
	}
	return f, nil
}
