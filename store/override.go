package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// HoursOverride is an admin override of business hours for one queue, or
// for every queue when Queue is "*". The handoff package decides what it
// means; the store only keeps it across restarts.
type HoursOverride struct {
	Queue string
	Mode  string    // "open" or "closed"
	Until time.Time // exclusive end; zero = until cleared
	SetBy string    // who set it (an admin name, never a token)
	SetAt time.Time
}

// SetHoursOverride stores o, replacing the queue's previous override.
func (db *DB) SetHoursOverride(ctx context.Context, o HoursOverride) error {
	var until sql.NullInt64
	if !o.Until.IsZero() {
		until = sql.NullInt64{Int64: o.Until.UnixMilli(), Valid: true}
	}
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO hours_overrides (queue, mode, until, set_by, set_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (queue) DO UPDATE SET mode = excluded.mode, until = excluded.until, set_by = excluded.set_by, set_at = excluded.set_at`,
			o.Queue, o.Mode, until, o.SetBy, o.SetAt.UnixMilli())
		return err
	}); err != nil {
		return fmt.Errorf("store: set hours override %s: %w", o.Queue, err)
	}
	return nil
}

// DeleteHoursOverride removes the override of queue. It reports whether
// there was one.
func (db *DB) DeleteHoursOverride(ctx context.Context, queue string) (bool, error) {
	var n int64
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM hours_overrides WHERE queue = ?`, queue)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	}); err != nil {
		return false, fmt.Errorf("store: delete hours override %s: %w", queue, err)
	}
	return n > 0, nil
}

// PruneHoursOverrides deletes the overrides that ended at or before now and
// returns how many it deleted.
func (db *DB) PruneHoursOverrides(ctx context.Context, now time.Time) (int, error) {
	var n int64
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM hours_overrides WHERE until IS NOT NULL AND until <= ?`, now.UnixMilli())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	}); err != nil {
		return 0, fmt.Errorf("store: prune hours overrides: %w", err)
	}
	return int(n), nil
}

// HoursOverrides returns every stored override, expired ones included,
// ordered by queue.
func (db *DB) HoursOverrides(ctx context.Context) ([]HoursOverride, error) {
	if db.writer.isClosed() {
		return nil, fmt.Errorf("store: hours overrides: %w", ErrClosed)
	}
	rows, err := db.r.QueryContext(ctx, `SELECT queue, mode, until, set_by, set_at FROM hours_overrides ORDER BY queue`)
	if err != nil {
		return nil, fmt.Errorf("store: hours overrides: %w", err)
	}
	defer rows.Close()
	var out []HoursOverride
	for rows.Next() {
		var o HoursOverride
		var until sql.NullInt64
		var setAt int64
		if err := rows.Scan(&o.Queue, &o.Mode, &until, &o.SetBy, &setAt); err != nil {
			return nil, fmt.Errorf("store: hours overrides: %w", err)
		}
		o.Until, o.SetAt = fromNullMS(until), fromMS(setAt)
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: hours overrides: %w", err)
	}
	return out, nil
}
