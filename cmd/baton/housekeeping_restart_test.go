package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/store"
	"github.com/prometheus/client_golang/prometheus"
)

// TestBackupGaugeSurvivesRestart: a server restarted on a day whose backup
// it finds takes no other, and its
// baton_backup_last_success_timestamp_seconds is that backup's time (not 0,
// which would fire BatonBackupMissing until the next night).
func TestBackupGaugeSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	cfg, err := configs.Load(exampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	current := func() *configs.Config { return cfg }
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "baton.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	dir := filepath.Join(t.TempDir(), "backups")
	night := time.Date(2026, 11, 22, 19, 10, 0, 0, time.UTC)

	first := prometheus.NewRegistry()
	h := newHousekeeping(db, log, time.Now, current, dir, 19, 7, first)
	h.tick(ctx, night)
	if got := metricValue(t, first, "baton_backup_last_success_timestamp_seconds", ""); got == 0 {
		t.Fatalf("gauge after the night's backup: got 0, want its time")
	}

	// The same data directory after a restart later that day.
	restarted := prometheus.NewRegistry()
	h = newHousekeeping(db, log, time.Now, current, dir, 19, 7, restarted)
	h.tick(ctx, night.Add(2*time.Hour))
	if all, _ := store.Backups(dir); len(all) != 1 {
		t.Fatalf("backups after a restart the same day: got %d, want 1 (no second backup)", len(all))
	}
	got := metricValue(t, restarted, "baton_backup_last_success_timestamp_seconds", "")
	if want := float64(night.Unix()); got < want-60 {
		t.Errorf("backup gauge after a restart that found tonight's backup: got %v, want about %v (BatonBackupMissing fires on 0)", got, want)
	}
}
