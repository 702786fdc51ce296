package store

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestBackupOpensWithTheTurns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	now := time.Now()
	for i := range 3 {
		w := testTurn("u-backup", int64(i), now)
		if i == 2 { // a handoff request the relay has not published yet
			w.Outbox = []OutboxMsg{{Subject: "baton.handoff.req.general", Payload: []byte("h-1")}}
		}
		if err := db.Commit(ctx, w); err != nil {
			t.Fatalf("Commit: %v", err)
		}
	}
	path := filepath.Join(t.TempDir(), "backups", BackupName(now))
	if err := db.Backup(ctx, path); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if _, err := os.Stat(path + ".tmp"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("temporary copy left behind: %v", err)
	}
	// A turn after the backup is not in it.
	if err := db.Commit(ctx, testTurn("u-backup", 3, now)); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	if err := db.Backup(ctx, path); !errors.Is(err, fs.ErrExist) {
		t.Errorf("Backup over an existing file: got %v, want fs.ErrExist", err)
	}

	// Restore: the copy opens as a store (migrations already applied) and
	// holds the committed turns and the conversation.
	restored, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("Open backup: %v", err)
	}
	t.Cleanup(func() { _ = restored.Close() })
	if n, err := restored.CountTurns(ctx, "u-backup"); err != nil || n != 3 {
		t.Errorf("turns in the backup: got %d, %v; want 3", n, err)
	}
	if _, c, found, err := restored.Load(ctx, "u-backup"); err != nil || !found || c.Version != 3 {
		t.Errorf("conversation in the backup: found %v version %d, %v; want version 3", found, c.Version, err)
	}
	// The restored store re-drives what was unpublished at backup time.
	if msgs, err := restored.PendingOutbox(ctx, 10); err != nil || len(msgs) != 1 || msgs[0].Subject != "baton.handoff.req.general" {
		t.Errorf("unpublished outbox in the backup: got %+v, %v; want the handoff request", msgs, err)
	}
	if err := restored.IntegrityCheck(ctx); err != nil {
		t.Errorf("integrity of the backup: %v", err)
	}
}

func TestPruneBackupsKeepsTheNewest(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	base := time.Date(2026, 11, 1, 19, 0, 0, 0, time.UTC)
	var names []string
	for i := range 5 {
		names = append(names, BackupName(base.AddDate(0, 0, i)))
	}
	for _, n := range append(names, "baton.db", "baton-notatime.db", "notes.txt") {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	gone, err := PruneBackups(dir, 3)
	if err != nil {
		t.Fatalf("PruneBackups: %v", err)
	}
	want := []string{filepath.Join(dir, names[0]), filepath.Join(dir, names[1])}
	if diff := cmp.Diff(want, gone); diff != "" {
		t.Errorf("deleted (-want +got):\n%s", diff)
	}
	left, err := Backups(dir)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{filepath.Join(dir, names[2]), filepath.Join(dir, names[3]), filepath.Join(dir, names[4])}, left); diff != "" {
		t.Errorf("left (-want +got):\n%s", diff)
	}
	for _, other := range []string{"baton.db", "baton-notatime.db", "notes.txt"} {
		if _, err := os.Stat(filepath.Join(dir, other)); err != nil {
			t.Errorf("%s: %v; files that are not backups must stay", other, err)
		}
	}
	if gone, err := PruneBackups(dir, 0); err != nil || len(gone) != 2 {
		t.Errorf("PruneBackups keep 0: deleted %v, %v; want 2 (the newest always stays)", gone, err)
	}
}
