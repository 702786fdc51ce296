package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestDatabaseFilesAreNotWorldReadable opens a new database in a 0755
// directory (as systemd's StateDirectory without StateDirectoryMode), commits
// a turn, and checks baton.db, -wal and -shm give no access to group or
// others.
func TestDatabaseFilesAreNotWorldReadable(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "baton.db")
	db, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	w := testTurn("u-mode", 0, db.now())
	if err := db.Commit(context.Background(), w); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"baton.db", "baton.db-wal", "baton.db-shm"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s: got mode %#o, want no group or other access (0600)", name, perm)
		}
	}
}

// TestOpenNarrowsAnExistingWorldReadableDatabase opens a database created
// 0644 by an older baton and checks Open narrows it to 0600.
func TestOpenNarrowsAnExistingWorldReadableDatabase(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "baton.db")
	db, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err = Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("got mode %#o, want 0600", perm)
	}
}
