package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/store"
	"github.com/prometheus/client_golang/prometheus"
)

// TestOrphanBackupTmpIsRemoved: store.Backup writes each backup to
// baton-<time>.db.tmp and renames it into place, and removes a leftover
// only when it has the very name of the new one. A serve killed during
// VACUUM INTO (OOM, SIGKILL at the stop timeout, a power loss) leaves a
// baton-<time>.db.tmp, a full copy of the database on the data disk, that
// store.Backups (and so --backup-keep) never counts. The nightly backup
// deletes such stale files in the backup directory before it writes a new
// one, and leaves every other file there alone.
func TestOrphanBackupTmpIsRemoved(t *testing.T) {
	ctx := context.Background()
	cfg, err := configs.Load(exampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "baton.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	dir := filepath.Join(t.TempDir(), "backups")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	night := time.Date(2026, 11, 22, 19, 10, 0, 0, time.UTC)
	// What a serve killed in the middle of the previous night's backup left.
	orphan := filepath.Join(dir, store.BackupName(night.Add(-24*time.Hour))+".tmp")
	if err := os.WriteFile(orphan, make([]byte, 1<<16), 0o600); err != nil {
		t.Fatal(err)
	}
	// Files that are not half-written backups stay.
	others := []string{"notes.tmp", "baton-latest.db.tmp", "baton.db.tmp", store.BackupName(night.Add(-48*time.Hour)) + ".tmp.keep"}
	for _, name := range others {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	h := newHousekeeping(db, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now,
		func() *configs.Config { return cfg }, dir, 19, 7, prometheus.NewRegistry())
	for day := 0; day < 3; day++ {
		h.tick(ctx, night.Add(time.Duration(day)*24*time.Hour))
	}
	if all, _ := store.Backups(dir); len(all) != 3 {
		t.Fatalf("backups after three nights: got %d, want 3", len(all))
	}
	if _, err := os.Stat(orphan); err == nil {
		t.Errorf("%s, a half-written backup left by a crash, is still in the backup directory after three successful nightly backups; want it removed (it is a full-size copy of baton.db on the data disk, counted by no --backup-keep)", filepath.Base(orphan))
	}
	for _, name := range others {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s, not a half-written backup, is gone from the backup directory: %v", name, err)
		}
	}
}
