package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// checkWritable makes sure the database at path can be written before
// SQLite is asked to: its directory (SQLite creates the -wal and -shm files
// there) and each of the database, -wal and -shm files that exists. It
// returns an error wrapping ErrNotWritable that names the path at fault, or
// a disk-full error when the directory cannot take even an empty file.
func checkWritable(path string) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".baton-write-check-*")
	if err != nil {
		if errors.Is(err, syscall.ENOSPC) {
			return fmt.Errorf("store: directory %s: disk full: %w (free space on its file system: docs/ops.md, \"Disk full, read-only or corrupted store\")", dir, err)
		}
		return fmt.Errorf("%w: directory %s (SQLite creates %s-wal and -shm there): %w (docs/ops.md, \"Disk full, read-only or corrupted store\")", ErrNotWritable, dir, filepath.Base(path), err)
	}
	name := f.Name()
	_ = f.Close()
	if err := os.Remove(name); err != nil {
		return fmt.Errorf("%w: directory %s: %w", ErrNotWritable, dir, err)
	}
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		f, err := os.OpenFile(name, os.O_RDWR, 0)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("%w: %s: %w (docs/ops.md, \"Disk full, read-only or corrupted store\")", ErrNotWritable, name, err)
		}
		_ = f.Close()
	}
	return nil
}
