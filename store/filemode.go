package store

import (
	"fmt"
	"io/fs"
	"log/slog"
	"os"
)

// dbFileMode is the mode of baton.db: it holds user keys, masked utterances,
// ticket messages and handoff context, so only baton's user may read it.
// SQLite creates the -wal and -shm files with the database file's mode.
const dbFileMode = 0o600

// createPrivate creates the database file at path with dbFileMode if it does
// not exist yet, so SQLite (which would use 0644 under the usual umask) opens
// it as is. An existing database, -wal or -shm readable by group or others is
// narrowed to dbFileMode, with a warning if that fails. It returns an error
// only if the file cannot be created.
func createPrivate(path string, log *slog.Logger) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, dbFileMode)
	switch {
	case err == nil:
		if err := f.Close(); err != nil {
			return fmt.Errorf("store: create %s: %w", path, err)
		}
		return nil
	case !os.IsExist(err):
		return fmt.Errorf("store: create %s: %w", path, err)
	}
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(name)
		if err != nil || fi.Mode().Perm()&0o077 == 0 {
			continue
		}
		if err := os.Chmod(name, fi.Mode().Perm()&^fs.FileMode(0o077)); err != nil {
			log.Warn("database file readable by group or others; chmod failed", "err", err)
		}
	}
	return nil
}
