//go:build audit

package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestAuditDatabaseFilesAreNotWorldReadable shows that baton.db and its
// -wal and -shm files are created with SQLite's default mode (0644 under the
// usual umask 022), readable by every local user when the data directory is
// — and the systemd unit of docs/ops.md (StateDirectory=baton, no
// StateDirectoryMode) makes /var/lib/baton 0755. They hold user keys, masked
// utterances, ticket messages and handoff context (personal data under
// PIPA); link.key and contact.key beside them are created 0600, and
// docs/ops.md's restore step asks for baton.db "mode 0600". Want: the store
// creates its files 0600 (or the docs' unit sets StateDirectoryMode=0700).
func TestAuditDatabaseFilesAreNotWorldReadable(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil { // as systemd's StateDirectory
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
