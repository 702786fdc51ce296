package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/store"
	"github.com/prometheus/client_golang/prometheus"
)

// Housekeeping defaults (serve flags).
const (
	// DefaultBackupHour is 19:00 UTC, 04:00 in Korea.
	DefaultBackupHour = 19
	DefaultBackupKeep = 7
	// pruneEvery is how often the retention jobs run.
	pruneEvery = time.Hour
)

// housekeeping runs the retention jobs (hourly) and the nightly backup from
// serve's sweep loop, and exports what they did as metrics.
type housekeeping struct {
	db         *store.DB
	log        *slog.Logger
	backupDir  string // empty: no backups
	backupHour int    // UTC hour of the nightly backup
	backupKeep int

	// config returns the config in force: each retention run enforces its
	// periods, so a reload applies at the next run.
	config func() *configs.Config

	lifecycle *lifecycleMetrics

	lastPrune  time.Time
	lastBackup string // UTC date (2006-01-02) of the newest backup

	deleted        *prometheus.CounterVec
	pruneErrors    prometheus.Counter
	backupOK       prometheus.Gauge
	backupFailures prometheus.Counter
	backupSeconds  prometheus.Gauge
}

// retentionPolicy converts the config's retention periods for the store.
func retentionPolicy(r configs.Retention) store.Retention {
	return store.Retention{
		Turns: r.Turns.D(), Handoffs: r.Handoffs.D(), Tickets: r.Tickets.D(), Contacts: r.Contacts.D(),
		AccessLog: r.AccessLog.D(), Notifications: r.Notifications.D(), Timers: r.Timers.D(), Outbox: r.Outbox.D(),
		Users: r.Users.D(),
	}
}

// newHousekeeping returns the jobs for db under the retention of the config
// in force (config, read at each run), with their metrics and the lifecycle
// metrics (on the clock now) registered on reg. backupDir empty disables
// backups; the newest backup already there sets the backup metric.
func newHousekeeping(db *store.DB, log *slog.Logger, now func() time.Time, config func() *configs.Config, backupDir string, backupHour, backupKeep int, reg prometheus.Registerer) *housekeeping {
	h := &housekeeping{
		lifecycle: newLifecycleMetrics(db, log, now, reg),
		db:        db, log: log.With("component", "housekeeping"), config: config,
		backupDir: backupDir, backupHour: backupHour, backupKeep: backupKeep,
		deleted: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "baton_retention_deleted_rows_total",
			Help: "Rows deleted by the retention jobs, by table."}, []string{"table"}),
		pruneErrors: prometheus.NewCounter(prometheus.CounterOpts{Name: "baton_retention_errors_total",
			Help: "Retention runs that stopped on an error."}),
		backupOK: prometheus.NewGauge(prometheus.GaugeOpts{Name: "baton_backup_last_success_timestamp_seconds",
			Help: "Unix time of the newest nightly backup (0: none yet)."}),
		backupFailures: prometheus.NewCounter(prometheus.CounterOpts{Name: "baton_backup_failures_total",
			Help: "Nightly backups that failed."}),
		backupSeconds: prometheus.NewGauge(prometheus.GaugeOpts{Name: "baton_backup_duration_seconds",
			Help: "How long the last successful backup took."}),
	}
	for _, t := range append(store.RetentionTables(), "dealer_events") {
		h.deleted.WithLabelValues(t) // export zeros, so alerts see the series
	}
	reg.MustRegister(h.deleted, h.pruneErrors, h.backupOK, h.backupFailures, h.backupSeconds)
	if backupDir != "" {
		if all, err := store.Backups(backupDir); err == nil && len(all) > 0 {
			newest := filepath.Base(all[len(all)-1])
			h.lastBackup = backupDate(newest)
			if at, ok := backupTime(newest); ok {
				// A restart after tonight's backup takes no other: the
				// metric (and BatonBackupMissing) must still see it.
				h.backupOK.Set(float64(at.Unix()))
			}
		}
	}
	return h
}

// backupDate is the UTC date in a backup file name, "" if there is none.
func backupDate(name string) string {
	stamp := strings.TrimPrefix(name, store.BackupPrefix)
	t, err := time.Parse("20060102", stamp[:min(8, len(stamp))])
	if err != nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

// backupTime is the time in a backup file name (store.BackupName).
func backupTime(name string) (time.Time, bool) {
	stamp := strings.TrimSuffix(strings.TrimPrefix(name, store.BackupPrefix), store.BackupSuffix)
	t, err := time.Parse("20060102T150405Z", stamp)
	return t, err == nil
}

// retention is the policy the next retention run enforces: the config in
// force's.
func (h *housekeeping) retention() store.Retention { return retentionPolicy(h.config().Retention) }

// countDeleted adds n rows deleted from table outside Prune (dealer events).
func (h *housekeeping) countDeleted(table string, n int) {
	h.deleted.WithLabelValues(table).Add(float64(n))
}

// tick updates the lifecycle metrics and runs whichever job is due at now:
// retention once per pruneEvery, the backup once per UTC day from
// backupHour on.
func (h *housekeeping) tick(ctx context.Context, now time.Time) {
	h.lifecycle.scan(ctx)
	if h.lastPrune.IsZero() || now.Sub(h.lastPrune) >= pruneEvery {
		h.lastPrune = now
		h.prune(ctx, now)
	}
	if h.backupDir != "" && now.UTC().Hour() >= h.backupHour && h.lastBackup != now.UTC().Format(time.DateOnly) {
		h.backup(ctx, now)
	}
}

// prune runs the retention jobs once.
func (h *housekeeping) prune(ctx context.Context, now time.Time) {
	deleted, err := h.db.Prune(ctx, now, h.retention())
	for table, n := range deleted {
		h.countDeleted(table, n)
	}
	if err != nil {
		h.pruneErrors.Inc()
		h.log.Warn("retention run stopped", "err", err)
		return
	}
	if len(deleted) > 0 {
		h.log.Info("retention deleted expired rows", "rows", deleted)
	}
}

// backup takes tonight's backup and deletes those past backupKeep. A failed
// backup is retried at the next tick.
func (h *housekeeping) backup(ctx context.Context, now time.Time) {
	start := time.Now()
	path := filepath.Join(h.backupDir, store.BackupName(now))
	// Before the copy: a full-size orphan must not be what fills the disk.
	h.removeOrphanTemps()
	if err := h.db.Backup(ctx, path); err != nil {
		h.backupFailures.Inc()
		h.log.Error("backup failed", "err", err)
		return
	}
	h.lastBackup = now.UTC().Format(time.DateOnly)
	h.backupOK.Set(float64(now.Unix()))
	h.backupSeconds.Set(time.Since(start).Seconds())
	gone, err := store.PruneBackups(h.backupDir, h.backupKeep)
	if err != nil {
		h.log.Warn("delete old backups", "err", err)
	}
	h.log.Info("backup written", "path", path, "seconds", time.Since(start).Seconds(), "deleted_old", len(gone))
}

// checkBackupFlags rejects a backup hour outside -1..23 and a keep below 1.
func (m *Main) checkBackupFlags() error {
	if m.BackupHour < -1 || m.BackupHour > 23 {
		return fmt.Errorf("baton serve: --backup-hour %d: want a UTC hour 0-23, or -1 for no backups", m.BackupHour)
	}
	if m.BackupKeep < 1 {
		return fmt.Errorf("baton serve: --backup-keep %d: keep at least 1 backup", m.BackupKeep)
	}
	return nil
}

// backupDir is where serve writes backups, "" when they are off.
func (m *Main) backupDir() string {
	switch {
	case m.BackupHour < 0 || m.BackupHour > 23:
		return ""
	case m.BackupDir != "":
		return m.BackupDir
	}
	return filepath.Join(m.DataDir, "backups")
}

// backupTempSuffix is what store.Backup appends to a backup's name while
// it writes the copy, before it renames it into place.
const backupTempSuffix = ".tmp"

// removeOrphanTemps deletes the half-written backups in the backup
// directory: files named baton-<time>.db.tmp (store.BackupName plus
// backupTempSuffix), which store.Backup writes and renames, so one that is
// still there was left by a serve killed during VACUUM INTO (OOM, SIGKILL
// at the stop timeout, a power loss). Each is a full-size copy of the
// database on the data disk that store.Backups, and so --backup-keep,
// never counts. Only this goroutine of the one serve that holds the data
// lock writes backups, so none of them is being written now. Nothing else
// in the directory is touched. A file that cannot be removed is logged;
// the next backup tries again.
func (h *housekeeping) removeOrphanTemps() {
	ents, err := os.ReadDir(h.backupDir)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			h.log.Warn("backup: list half-written backups", "dir", h.backupDir, "err", err)
		}
		return
	}
	for _, e := range ents {
		name, ok := strings.CutSuffix(e.Name(), backupTempSuffix)
		if !ok || !e.Type().IsRegular() || !strings.HasPrefix(name, store.BackupPrefix) {
			continue
		}
		if _, ok := backupTime(name); !ok || !strings.HasSuffix(name, store.BackupSuffix) {
			continue
		}
		p := filepath.Join(h.backupDir, e.Name())
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			h.log.Warn("backup: remove a half-written backup left by a crash", "path", p, "err", err)
			continue
		}
		h.log.Info("backup: removed a half-written backup left by a crash", "path", p)
	}
}
