package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// errDataNotWritable is wrapped by checkDataDir's error when baton's user
// cannot write the data directory or something in it.
var errDataNotWritable = errors.New("not writable by baton's user")

// checkDataDir makes sure `baton serve` can write its data directory before
// anything opens it: dir itself (created 0700 if missing) and, when NATS is
// embedded, every directory and file of the JetStream store under
// <dir>/nats. Without this, a read-only SQLite file fails deep in a
// migration or journal replay, and a read-only JetStream store keeps the
// embedded server from starting for 10 s with a vague error. (The store
// checks baton.db and its -wal and -shm files itself: store.Open.) It
// returns one error naming the path at fault, wrapping errDataNotWritable,
// and pointing to docs/ops.md.
func checkDataDir(dir string, embeddedNATS bool) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		// Its parent is not baton's to write, or on a read-only file system
		// (a read-only mount binds root too).
		if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
			return fmt.Errorf("baton serve: create data directory %s: %w: %w (docs/ops.md, \"Disk full, read-only or corrupted store\")", dir, errDataNotWritable, err)
		}
		return fmt.Errorf("baton serve: create data directory %s: %w", dir, err)
	}
	if err := checkDirWritable(dir); err != nil {
		return err
	}
	if !embeddedNATS {
		return nil
	}
	natsDir := filepath.Join(dir, "nats")
	err := filepath.WalkDir(natsDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && path == natsDir {
				return fs.SkipAll // a first start: NATS creates it
			}
			return fmt.Errorf("baton serve: %w: %s: %w (docs/ops.md, \"Disk full, read-only or corrupted store\")", errDataNotWritable, path, err)
		}
		if d.IsDir() {
			return checkDirWritable(path)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			return fmt.Errorf("baton serve: %w: %s: %w (docs/ops.md, \"Disk full, read-only or corrupted store\")", errDataNotWritable, path, err)
		}
		return f.Close()
	})
	return err
}

// checkDirWritable creates and removes an empty file in dir.
func checkDirWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".baton-write-check-*")
	if err != nil {
		if errors.Is(err, syscall.ENOSPC) {
			return fmt.Errorf("baton serve: directory %s: disk full: %w (docs/ops.md, \"Disk full, read-only or corrupted store\")", dir, err)
		}
		return fmt.Errorf("baton serve: %w: directory %s: %w (docs/ops.md, \"Disk full, read-only or corrupted store\")", errDataNotWritable, dir, err)
	}
	name := f.Name()
	_ = f.Close()
	if err := os.Remove(name); err != nil {
		return fmt.Errorf("baton serve: %w: directory %s: %w", errDataNotWritable, dir, err)
	}
	return nil
}
