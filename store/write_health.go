package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ErrWritesFailing is returned by CheckWrites when the last batch failed to
// commit and a probe write fails too (e.g. another process holds SQLite's
// write lock, or the disk is full): every turn answers the fallback.
var ErrWritesFailing = errors.New("store: writes are failing")

// CheckWrites reports whether the store can commit. It returns nil at once
// when no batch failed since a probe last succeeded (or none failed yet).
// After a failed batch it probes with a write that needs new database pages
// and is rolled back (so it finds a full disk as well as a held lock): nil
// if that succeeds (the failure was transient, and the probe clears it),
// else an error wrapping ErrWritesFailing that names the cause (Cause) with
// the last failed batch's and the probe's errors. A batch that committed
// after the failure does not clear it: on a nearly full disk, small writes
// (a delivery record, an outbox mark) still fit in free pages while every
// turn fails. It is for readiness checks; ctx bounds the probe.
// After Close it returns an error wrapping ErrClosed.
func (db *DB) CheckWrites(ctx context.Context) error {
	if db.writer.isClosed() {
		return fmt.Errorf("store: check writes: %w", ErrClosed)
	}
	w := db.writer
	seq := w.failSeq.Load()
	if seq == w.probedSeq.Load() {
		return nil
	}
	r := &request{ctx: ctx, done: make(chan error, 1), fn: probeWrite, probe: true}
	err := w.do(r)
	if err == nil || errors.Is(err, errProbeRolledBack) {
		// A failure meanwhile raised failSeq: probed again next time. Of
		// two probes overlapping, the later sequence stays.
		for {
			p := w.probedSeq.Load()
			if p >= seq || w.probedSeq.CompareAndSwap(p, seq) {
				break
			}
		}
		return nil
	}
	last := w.lastFail.Load()
	if last == nil { // a batch committed meanwhile
		last = &err
	}
	cause := Cause(err)
	if cause == "" {
		cause = Cause(*last)
	}
	if cause != "" {
		cause = " (" + cause + ")"
	}
	if (*last).Error() == err.Error() { // the last batch was a probe
		return fmt.Errorf("%w%s: %w", ErrWritesFailing, cause, err)
	}
	return fmt.Errorf("%w%s: last batch: %w; probe: %w", ErrWritesFailing, cause, *last, err)
}

// errProbeRolledBack is probeWrite's error when its write succeeded: the
// savepoint is rolled back so the probe leaves nothing behind.
var errProbeRolledBack = errors.New("store: write probe rolled back")

// probeBytes is how much room the probe asks for: a few batches of turns.
// Near a full disk, single freed pages let a turn commit now and then; the
// store is ready again only once this much fits.
const probeBytes = 64 << 10

// probeWrite creates a table and writes probeBytes into it, which takes new
// pages (free ones, or ones that grow the file: SQLITE_FULL when it cannot),
// and then has its savepoint rolled back.
func probeWrite(tx *sql.Tx) error {
	if _, err := tx.Exec("CREATE TABLE baton_write_probe (x)"); err != nil {
		return fmt.Errorf("probe: %w", err)
	}
	if _, err := tx.Exec("INSERT INTO baton_write_probe VALUES (zeroblob(?))", probeBytes); err != nil {
		return fmt.Errorf("probe: %w", err)
	}
	return errProbeRolledBack
}

// failLogEvery is how often a run of failed batches with one cause is logged
// at ERROR, and how often "writes recovered" is; the lines held back in
// between are logged at DEBUG.
const failLogEvery = time.Minute

// failing records a failed batch of n requests, logged at ERROR within
// the bounds of failLog, so a full disk is a line a minute, not one per
// turn ("writes failing again" after a logged recovery). Writer goroutine
// only.
func (w *writer) failing(n int, err error) {
	w.lastFail.Store(&err)
	w.failSeq.Add(1)
	cause := Cause(err)
	log, again, count := w.failLog.failed(cause)
	if !log {
		w.db.log.Debug("group commit failed", "requests", n, "cause", cause, "err", err)
		return
	}
	msg := "store: group commit failed; turns answer the fallback until a batch commits (logged once a minute while it lasts)"
	if again {
		msg = "store: writes failing again; turns answer the fallback until a batch commits (logged once a minute while it lasts)"
	}
	w.db.log.Error(msg, "cause", causeOrUnknown(cause), "failed_batches", count, "requests", n, "err", err)
}

// recovered records a committed batch; the end of a run of failures that
// was logged at ERROR is logged once ("writes recovered", failLog). A
// committed batch whose probe failed (CheckWrites) is a failure: what the
// probe needed could not be written. Writer goroutine only.
func (w *writer) recovered(reqs []*request) {
	for _, r := range reqs {
		if r.probe && probeFailed(r.err) {
			w.failing(0, r.err)
			return
		}
	}
	w.lastFail.Store(nil)
	if log, run, cause := w.failLog.succeeded(); log {
		w.db.log.Warn("store: writes recovered", "failed_batches", run, "cause", cause)
	}
}

// probeFailed reports whether err, a probe's result in a committed batch,
// says the store could not write what the probe asked for (not that the
// probe succeeded, or that its caller gave up before it ran).
func probeFailed(err error) bool {
	switch {
	case err == nil, err == errSkipped, errors.Is(err, errProbeRolledBack),
		errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return false
	}
	return true
}
