package admin

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/store"
)

// InvalidConfigError is a reload refused because the file does not load or
// validate; Err carries the file:line:col messages.
type InvalidConfigError struct{ Err error }

// Error returns the load error's messages (file:line:col: message).
func (e *InvalidConfigError) Error() string { return "invalid config: " + e.Err.Error() }

// Unwrap returns the load error.
func (e *InvalidConfigError) Unwrap() error { return e.Err }

// QueueInUseError is a reload refused because the new config drops queues
// that still have open handoffs (queue name → open handoffs).
type QueueInUseError struct{ Queues map[string]int }

// Error names the queues and how many handoffs each still has open.
func (e *QueueInUseError) Error() string {
	names := make([]string, 0, len(e.Queues))
	for q := range e.Queues {
		names = append(names, q)
	}
	slices.Sort(names)
	parts := make([]string, len(names))
	for i, q := range names {
		parts[i] = fmt.Sprintf("%s (%d open)", q, e.Queues[q])
	}
	return "the new config drops queues with open handoffs: " + strings.Join(parts, ", ") +
		"; keep them in handoff.queues until those handoffs end (to rename a queue, add the new name first and " +
		"drop the old one in a later reload), or end them: GET /admin/handoffs?queue=" + names[0] +
		" lists them, POST /admin/handoffs/{id}/end ends one"
}

// ConfigReloader is the reload policy shared by POST /admin/reload and
// SIGHUP: load and validate the file, refuse to drop a queue with open
// handoffs, apply, and record every attempt in the reload history. Reloads
// are serialised.
type ConfigReloader struct {
	Path string
	DB   *store.DB
	// Current returns the config in force.
	Current func() *configs.Config
	// Apply builds everything that depends on cfg and swaps it in
	// atomically; on error nothing may have changed. note, when not empty,
	// is kept in the reload history (e.g. sections that need a restart).
	Apply func(cfg *configs.Config) (note string, err error)
	// Load reads the file; nil means configs.Load.
	Load   func(path string) (*configs.Config, error)
	Now    func() time.Time
	Logger *slog.Logger

	mu sync.Mutex
}

// Reload implements Reloader. by names who asked (a token id, "SIGHUP").
// It returns *InvalidConfigError, *QueueInUseError, the Apply error, or the
// store's error recording the attempt.
func (r *ConfigReloader) Reload(ctx context.Context, by string) (store.Reload, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now, load, log := time.Now, configs.Load, r.Logger
	if r.Now != nil {
		now = r.Now
	}
	if r.Load != nil {
		load = r.Load
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	rec := store.Reload{At: now(), By: by}
	cfg, err := loadRecovered(load, r.Path, log)
	if err != nil {
		rec.Result, rec.Detail = store.ReloadInvalid, err.Error()
		return r.finish(ctx, log, rec, &InvalidConfigError{Err: err})
	}
	rec.Version = cfg.Version
	cfg.LogWarnings(log)
	open, err := r.DB.OpenHandoffQueues(ctx)
	if err != nil {
		rec.Result, rec.Detail = store.ReloadFailed, "reading the open handoffs' queues: "+err.Error()
		return r.finish(ctx, log, rec, fmt.Errorf("admin: reload: %w", err))
	}
	cur := r.Current()
	dropped := map[string]int{}
	for q, n := range open {
		_, had := cur.Handoff.Queues[q]
		if _, has := cfg.Handoff.Queues[q]; had && !has {
			dropped[q] = n
		}
	}
	if len(dropped) > 0 {
		e := &QueueInUseError{Queues: dropped}
		rec.Result, rec.Detail = store.ReloadRefused, e.Error()
		return r.finish(ctx, log, rec, e)
	}
	note, err := r.Apply(cfg)
	if err != nil {
		rec.Result, rec.Detail = store.ReloadFailed, err.Error()
		return r.finish(ctx, log, rec, fmt.Errorf("admin: reload: %w", err))
	}
	rec.Result, rec.Detail = store.ReloadOK, note
	for _, w := range cfg.Warnings {
		// The history shows what `baton validate` would have said.
		if rec.Detail != "" {
			rec.Detail += "\n"
		}
		rec.Detail += fmt.Sprintf("warning: %d:%d: %s", w.Line, w.Col, w.Msg)
	}
	return r.finish(ctx, log, rec, nil)
}

// finish records rec and logs it, returning the recorded row and err (or
// the recording error). The row is written whatever became of ctx: once
// Apply swapped a config in, a caller who hung up cannot undo it, and the
// history must still say so.
func (r *ConfigReloader) finish(ctx context.Context, log *slog.Logger, rec store.Reload, err error) (store.Reload, error) {
	rec.At = time.UnixMilli(rec.At.UnixMilli()).UTC() // as the history keeps it
	id, rerr := r.DB.RecordReload(context.WithoutCancel(ctx), rec)
	if rerr != nil {
		log.Error("config reload not recorded", "by", rec.By, "result", rec.Result, "version", rec.Version, "err", rerr)
		if err == nil {
			return store.Reload{}, fmt.Errorf("admin: reload %s applied but not recorded: %w", rec.Version, rerr)
		}
		return store.Reload{}, fmt.Errorf("%w (not recorded: %v)", err, rerr)
	}
	rec.ID = id
	if err != nil {
		log.Warn("config reload refused", "by", rec.By, "result", rec.Result, "version", rec.Version, "err", err)
		return rec, err
	}
	log.Info("config reloaded", "by", rec.By, "version", rec.Version, "path", r.Path)
	return rec, nil
}

// loadRecovered runs load, turning a panic into an error: parsing a file
// touches nothing in force, so a loader's bug in some odd input must refuse
// that file, not take the serving process down (SIGHUP has no other
// recover on its way).
func loadRecovered(load func(string) (*configs.Config, error), path string, log *slog.Logger) (cfg *configs.Config, err error) {
	defer func() {
		if p := recover(); p != nil {
			log.Error("config loader panicked", "path", path, "panic", p, "stack", string(debug.Stack()))
			cfg, err = nil, fmt.Errorf("%s: the config loader failed on this file (%v); the config in force stays", path, p)
		}
	}()
	return load(path)
}
