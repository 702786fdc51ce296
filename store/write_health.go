package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ErrWritesFailing is returned by CheckWrites when the last batch failed to
// commit and a probe write fails too (e.g. another process holds SQLite's
// write lock): every turn answers the fallback.
var ErrWritesFailing = errors.New("store: writes are failing")

// CheckWrites reports whether the store can commit. It returns nil at once
// when the writer's last batch committed (or none failed yet). After a failed
// batch it probes with an empty write: nil if that commits (the failure was
// transient, and the probe clears it), else an error wrapping
// ErrWritesFailing with the last batch's and the probe's errors. It is for
// readiness checks; ctx bounds the probe.
func (db *DB) CheckWrites(ctx context.Context) error {
	last := db.writer.lastFail.Load()
	if last == nil {
		return nil
	}
	err := db.Write(ctx, func(*sql.Tx) error { return nil })
	if err == nil {
		return nil
	}
	return fmt.Errorf("%w: last batch: %w; probe: %w", ErrWritesFailing, *last, err)
}
