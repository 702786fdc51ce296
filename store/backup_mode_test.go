//go:build unix

package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestBackupIsNotWorldReadable: a backup is a full copy of baton.db (users,
// masked turns, ticket messages, encrypted contacts and intake answers) and
// gets the database file's protection (dbFileMode): no access for group or
// others, whatever the umask and the backup directory's mode (docs/ops.md
// "Backups and restore": a restored backup is "mode 0600"). VACUUM INTO
// alone would create it 0644 under the usual umask 022; Backup creates the
// file first. A backup directory Backup creates is 0700.
func TestBackupIsNotWorldReadable(t *testing.T) {
	old := syscall.Umask(0o022) // the usual umask; restored below (not parallel)
	defer syscall.Umask(old)
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	if err := db.Commit(ctx, testTurn("u-backup", 0, time.Now())); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, BackupName(time.Now()))
	if err := db.Backup(ctx, path); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		t.Errorf("backup %s: mode %#o, want no group or other access (0600, as baton.db)", filepath.Base(path), perm)
	}
	if n := backupTurns(t, path); n != 1 {
		t.Errorf("backup holds %d turns, want 1", n)
	}

	// A backup directory that does not exist yet is created 0700.
	sub := filepath.Join(dir, "backups")
	path = filepath.Join(sub, BackupName(time.Now()))
	if err := db.Backup(ctx, path); err != nil {
		t.Fatalf("Backup into a new directory: %v", err)
	}
	for name, want := range map[string]os.FileMode{sub: 0o700, path: 0o600} {
		fi, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm != want {
			t.Errorf("%s: mode %#o, want %#o", name, perm, want)
		}
	}
}

// backupTurns counts the turns in the backup at path, read only.
func backupTurns(t *testing.T, path string) int {
	t.Helper()
	b, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var n int
	if err := b.QueryRow(`SELECT count(*) FROM turns`).Scan(&n); err != nil {
		t.Fatalf("read backup: %v", err)
	}
	return n
}
