package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Backup writes a consistent copy of the database to path with VACUUM INTO.
// It runs on the read-only pool, so it never holds the group-commit writer:
// the copy is the snapshot of the moment its read transaction started, and
// turns keep committing meanwhile. The copy is written next to path under a
// temporary name, fsynced, then renamed, so path is either absent or a
// complete database. The copy holds everything baton.db holds, so it gets
// the database's mode (dbFileMode, 0600), and a directory Backup creates is
// 0700. It returns an error if path already exists, the copy cannot be
// written or synced, or ctx ends first.
// After Close it returns an error wrapping ErrClosed.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.writer.isClosed() {
		return fmt.Errorf("store: backup %s: %w", path, ErrClosed)
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("store: backup %s: %w", path, fs.ErrExist)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("store: backup: create directory %s: %w", dir, err)
	}
	tmp := path + ".tmp"
	_ = os.Remove(tmp) // a copy left by a crash in the middle of a backup
	// VACUUM INTO would create the file with SQLite's default mode (0644
	// under the usual umask); it also writes into an existing empty file,
	// and keeps that file's mode. Created here, the copy is never readable
	// by group or others, not even while it is written.
	if err := createEmpty(tmp); err != nil {
		return fmt.Errorf("store: backup %s: %w", path, err)
	}
	if _, err := db.r.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("store: backup %s: vacuum into: %w", path, err)
	}
	if err := syncFile(tmp); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("store: backup %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("store: backup %s: %w", path, err)
	}
	if err := syncFile(dir); err != nil {
		return fmt.Errorf("store: backup %s: %w", path, err)
	}
	return nil
}

// createEmpty creates an empty file at path with dbFileMode; it fails if
// path exists.
func createEmpty(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, dbFileMode)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		_ = os.Remove(path)
		return fmt.Errorf("create %s: %w", path, err)
	}
	return nil
}

// syncFile fsyncs the file or directory at path.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open for sync: %w", err)
	}
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(serr, cerr); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return nil
}

// Backup file names: BackupPrefix + UTC time + BackupSuffix, so that names
// sort by age.
const (
	BackupPrefix = "baton-"
	BackupSuffix = ".db"
	backupLayout = "20060102T150405Z"
)

// BackupName is the file name of a backup taken at t
// ("baton-20261122T190000Z.db").
func BackupName(t time.Time) string {
	return BackupPrefix + t.UTC().Format(backupLayout) + BackupSuffix
}

// Backups lists the backups in dir, oldest first, as full paths. Files that
// are not named by BackupName are ignored. A missing dir has none.
func Backups(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: list backups in %s: %w", dir, err)
	}
	var out []string
	for _, e := range ents {
		name := e.Name()
		stamp, ok := strings.CutPrefix(name, BackupPrefix)
		if !ok || e.IsDir() {
			continue
		}
		stamp, ok = strings.CutSuffix(stamp, BackupSuffix)
		if _, err := time.Parse(backupLayout, stamp); !ok || err != nil {
			continue
		}
		out = append(out, filepath.Join(dir, name))
	}
	slices.Sort(out)
	return out, nil
}

// PruneBackups deletes all but the newest keep backups in dir and returns
// the paths it deleted. keep < 1 is treated as 1: the newest backup is never
// deleted.
func PruneBackups(dir string, keep int) ([]string, error) {
	keep = max(keep, 1)
	all, err := Backups(dir)
	if err != nil {
		return nil, err
	}
	if len(all) <= keep {
		return nil, nil
	}
	var gone []string
	for _, p := range all[:len(all)-keep] {
		if err := os.Remove(p); err != nil {
			return gone, fmt.Errorf("store: prune backups: %w", err)
		}
		gone = append(gone, p)
	}
	return gone, nil
}
