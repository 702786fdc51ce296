package main

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/store"
	"github.com/prometheus/client_golang/prometheus"
)

func TestHousekeepingPrunesHourlyAndBacksUpNightly(t *testing.T) {
	t.Parallel()
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
	now := time.Date(2026, 11, 22, 18, 30, 0, 0, time.UTC)
	old := now.Add(-cfg.Retention.Turns.D() - time.Hour).UnixMilli()
	seed := func(id string, at int64) {
		t.Helper()
		err := db.Write(ctx, func(tx *sql.Tx) error {
			if _, err := tx.Exec(`INSERT OR IGNORE INTO users(key, first_seen, last_seen) VALUES ('u1', ?, ?)`, at, at); err != nil {
				return err
			}
			_, err := tx.Exec(`INSERT INTO turns(id, user_key, at) VALUES (?, 'u1', ?)`, id, at)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	seed("t-old", old)

	reg := prometheus.NewRegistry()
	dir := filepath.Join(t.TempDir(), "backups")
	h := newHousekeeping(db, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now, func() *configs.Config { return cfg }, dir, 19, 2, reg)

	h.tick(ctx, now) // 18:30: prune, no backup before 19:00
	if got := metricValue(t, reg, "baton_retention_deleted_rows_total", "turns"); got != 1 {
		t.Errorf("turns deleted: got %v, want 1", got)
	}
	if all, _ := store.Backups(dir); len(all) != 0 {
		t.Errorf("backups before the hour: got %v, want none", all)
	}
	// Turns are stored in the order they are taken, and retention reads
	// them so (store/retention.go): the young turn comes after the old ones.
	seed("t-old2", old)
	seed("t-new", now.UnixMilli())
	h.tick(ctx, now.Add(40*time.Minute)) // 19:10: backup; prune not due yet
	if got := metricValue(t, reg, "baton_retention_deleted_rows_total", "turns"); got != 1 {
		t.Errorf("turns deleted within the hour: got %v, want still 1", got)
	}
	all, err := store.Backups(dir)
	if err != nil || len(all) != 1 {
		t.Fatalf("backups after 19:00: got %v, %v; want one", all, err)
	}
	h.tick(ctx, now.Add(50*time.Minute)) // same night: no second backup
	if all, _ := store.Backups(dir); len(all) != 1 {
		t.Errorf("backups later the same night: got %d, want 1", len(all))
	}
	h.tick(ctx, now.Add(90*time.Minute)) // prune due again
	if got := metricValue(t, reg, "baton_retention_deleted_rows_total", "turns"); got != 2 {
		t.Errorf("turns deleted after an hour: got %v, want 2", got)
	}
	for day := 1; day <= 3; day++ {
		h.tick(ctx, now.Add(time.Duration(day)*24*time.Hour+40*time.Minute))
	}
	if all, _ := store.Backups(dir); len(all) != 2 {
		t.Errorf("backups after four nights with keep 2: got %d, want 2", len(all))
	}
	if got := metricValue(t, reg, "baton_backup_last_success_timestamp_seconds", ""); got != float64(now.Add(3*24*time.Hour+40*time.Minute).Unix()) {
		t.Errorf("last backup timestamp: got %v", got)
	}
	// A restarted server sees tonight's backup and does not take another.
	reg2 := prometheus.NewRegistry()
	h2 := newHousekeeping(db, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now, func() *configs.Config { return cfg }, dir, 19, 2, reg2)
	h2.tick(ctx, now.Add(3*24*time.Hour+50*time.Minute))
	if got, want := metricValue(t, reg2, "baton_backup_last_success_timestamp_seconds", ""), float64(now.Add(3*24*time.Hour+40*time.Minute).Unix()); got != want {
		t.Errorf("restart on a night with a backup: got backup timestamp %v, want the existing backup's %v (no other taken)", got, want)
	}

	for _, table := range append(store.RetentionTables(), "dealer_events") {
		metricValue(t, reg, "baton_retention_deleted_rows_total", table) // fails when the series is missing
	}
}

func TestBackupDirFlags(t *testing.T) {
	for _, bad := range [][]string{{"--backup-hour", "24"}, {"--backup-hour", "-2"}, {"--backup-keep", "0"}} {
		m := NewMain()
		m.Stderr = io.Discard
		if err := m.ParseFlags(bad); err == nil {
			t.Errorf("ParseFlags(%v): got nil error, want one", bad)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, filepath.Join("d", "backups")},
		{[]string{"--backup-dir", "/var/backups/baton"}, "/var/backups/baton"},
		{[]string{"--backup-hour", "-1"}, ""},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			m := NewMain()
			m.Stderr = io.Discard
			if err := m.ParseFlags(append([]string{"--data", "d"}, c.args...)); err != nil {
				t.Fatal(err)
			}
			if got := m.backupDir(); got != c.want {
				t.Errorf("backup dir: got %q, want %q", got, c.want)
			}
		})
	}
}

// metricValue gathers reg and returns the value of the counter or gauge name
// whose only label (if any) has value label. It fails the test when there is
// no such series.
func metricValue(t testing.TB, reg *prometheus.Registry, name, label string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			if label != "" && (len(m.GetLabel()) != 1 || m.GetLabel()[0].GetValue() != label) {
				continue
			}
			if c := m.GetCounter(); c != nil {
				return c.GetValue()
			}
			return m.GetGauge().GetValue()
		}
	}
	t.Fatalf("no series %s{%s}", name, label)
	return 0
}
