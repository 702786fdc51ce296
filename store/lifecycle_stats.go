package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// HandoffEvent is a handoff that was opened, taken or ended within a window
// (see HandoffEvents); test handoffs are left out.
type HandoffEvent struct {
	Queue      string
	Target     string
	Reason     string // why it was opened
	EndReason  string // why it ended ("" while open)
	CreatedAt  time.Time
	AcceptedAt time.Time // zero: no human took it
	EndedAt    time.Time // zero: still open
}

// HandoffEvents returns the non-test handoffs opened, accepted or ended in
// (from, to], read from the read-only pool. Callers tell which of the three
// happened in the window from the timestamps. It returns the query's error,
// wrapped.
// After Close it returns an error wrapping ErrClosed.
func (db *DB) HandoffEvents(ctx context.Context, from, to time.Time) ([]HandoffEvent, error) {
	if db.writer.isClosed() {
		return nil, fmt.Errorf("store: handoff events: %w", ErrClosed)
	}
	f, t := from.UnixMilli(), to.UnixMilli()
	rows, err := db.r.QueryContext(ctx, `SELECT queue, target, reason, end_reason, created_at, accepted_at, ended_at
		FROM handoffs
		WHERE test = 0 AND ((created_at > ?1 AND created_at <= ?2) OR (accepted_at > ?1 AND accepted_at <= ?2)
			OR (ended_at > ?1 AND ended_at <= ?2))`, f, t)
	if err != nil {
		return nil, fmt.Errorf("store: handoff events: %w", err)
	}
	defer rows.Close()
	var out []HandoffEvent
	for rows.Next() {
		var (
			e               HandoffEvent
			created         int64
			accepted, ended sql.NullInt64
		)
		if err := rows.Scan(&e.Queue, &e.Target, &e.Reason, &e.EndReason, &created, &accepted, &ended); err != nil {
			return nil, fmt.Errorf("store: handoff events: %w", err)
		}
		e.CreatedAt, e.AcceptedAt, e.EndedAt = fromMS(created), fromNullMS(accepted), fromNullMS(ended)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: handoff events: %w", err)
	}
	return out, nil
}

// OldestUnpublished returns when the oldest outbox row still waiting for
// NATS was written, and false when every row is published.
// After Close it returns an error wrapping ErrClosed.
func (db *DB) OldestUnpublished(ctx context.Context) (time.Time, bool, error) {
	if db.writer.isClosed() {
		return time.Time{}, false, fmt.Errorf("store: oldest unpublished: %w", ErrClosed)
	}
	var ms sql.NullInt64
	if err := db.r.QueryRowContext(ctx, `SELECT min(created_at) FROM outbox WHERE published_at IS NULL`).Scan(&ms); err != nil {
		return time.Time{}, false, fmt.Errorf("store: oldest unpublished: %w", err)
	}
	return fromNullMS(ms), ms.Valid, nil
}

// TimerBacklog counts pending timers and those of them already past due at
// now (their JetStream schedule should have fired).
// After Close it returns an error wrapping ErrClosed.
func (db *DB) TimerBacklog(ctx context.Context, now time.Time) (pending, overdue int, err error) {
	if db.writer.isClosed() {
		return 0, 0, fmt.Errorf("store: timer backlog: %w", ErrClosed)
	}
	err = db.r.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(due_at < ?), 0) FROM timers WHERE status = 'pending'`,
		now.UnixMilli()).Scan(&pending, &overdue)
	if err != nil {
		return 0, 0, fmt.Errorf("store: timer backlog: %w", err)
	}
	return pending, overdue, nil
}
