package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Timer kinds (DESIGN §6): each is one JetStream message schedule
// baton.timer.sched.<kind>.<id> firing to baton.timer.fire.<kind>.<id>.
const (
	TimerWaitTimeout = "wait_timeout" // a handoff waited too long; id = handoff id
	TimerAfterHours  = "after_hours"  // a conversation sat in after_hours; id = ULID
	TimerReopen      = "reopen"       // notify-on-open; id = ULID
	TimerIdle        = "idle"         // a dealer session went quiet; id = handoff id
)

// Timer statuses.
const (
	TimerPending   = "pending"
	TimerFired     = "fired"
	TimerCancelled = "cancelled"
)

// Timer is a durable timer: the row says whether it is still wanted when its
// message schedule fires. Kind and ID name it; ID never holds a user key
// (it is part of a NATS subject).
type Timer struct {
	Kind      string // Timer*
	ID        string // handoff id or ULID
	UserKey   string
	HandoffID string // the handoff it belongs to; "" for after_hours and reopen
	// Queue is the queue a reopen timer waits for (also its schedule's
	// payload); "" for the other kinds and for reopen rows from before
	// migration 00019.
	Queue     string
	DueAt     time.Time
	Status    string
	CreatedAt time.Time
	DoneAt    time.Time // zero while pending
}

const sqlScheduleTimer = `INSERT INTO timers (kind, id, user_key, handoff_id, due_at, status, created_at, queue)
VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)
ON CONFLICT (kind, id) DO UPDATE SET due_at = excluded.due_at, status = 'pending',
	created_at = excluded.created_at, done_at = NULL, queue = excluded.queue`

// ScheduleTimerOp writes t as pending within a turn (TurnWrite.Ops). A timer
// with the same kind and id is replaced (re-scheduled), like its message
// schedule. CreatedAt defaults to now.
func ScheduleTimerOp(t Timer) Op {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = time.Now()
	}
	return Op{Name: "schedule timer " + t.Kind, SQL: sqlScheduleTimer,
		Args: []any{t.Kind, t.ID, t.UserKey, t.HandoffID, t.DueAt.UnixMilli(), t.CreatedAt.UnixMilli(), t.Queue}}
}

const (
	sqlFinishTimer = `UPDATE timers SET status = ?, done_at = ?
	WHERE kind = ? AND id = ? AND status = 'pending'`
	sqlFinishHandoffTimers = `UPDATE timers SET status = ?, done_at = ?
	WHERE handoff_id = ? AND handoff_id <> '' AND status = 'pending'`
	sqlFinishUserTimers = `UPDATE timers SET status = ?, done_at = ?
	WHERE user_key = ? AND kind = ? AND status = 'pending'`
)

// CancelTimerOp cancels the pending timer kind/id within a turn. A timer
// that is not pending is left as it is.
func CancelTimerOp(kind, id string, at time.Time) Op {
	return Op{Name: "cancel timer " + kind, SQL: sqlFinishTimer,
		Args: []any{TimerCancelled, at.UnixMilli(), kind, id}}
}

// FireTimerOp marks the pending timer kind/id fired within the turn (or
// event) that carried out its effect.
func FireTimerOp(kind, id string, at time.Time) Op {
	return Op{Name: "fire timer " + kind, SQL: sqlFinishTimer,
		Args: []any{TimerFired, at.UnixMilli(), kind, id}}
}

// CancelHandoffTimersOp cancels every pending timer of handoff id (its wait
// timeout, its idle timer) within the turn that ends or advances it.
func CancelHandoffTimersOp(handoffID string, at time.Time) Op {
	return Op{Name: "cancel handoff timers", SQL: sqlFinishHandoffTimers,
		Args: []any{TimerCancelled, at.UnixMilli(), handoffID}}
}

// CancelUserTimersOp cancels the user's pending timers of kind (after_hours,
// reopen) within a turn.
func CancelUserTimersOp(userKey, kind string, at time.Time) Op {
	return Op{Name: "cancel user timers " + kind, SQL: sqlFinishUserTimers,
		Args: []any{TimerCancelled, at.UnixMilli(), userKey, kind}}
}

// FireUserTimersOp marks the user's pending timers of kind fired (the
// after_hours timer, whose ULID the expiring event does not carry).
func FireUserTimersOp(userKey, kind string, at time.Time) Op {
	return Op{Name: "fire user timers " + kind, SQL: sqlFinishUserTimers,
		Args: []any{TimerFired, at.UnixMilli(), userKey, kind}}
}

// ScheduleTimer writes t as pending and queues msg (its message schedule) in
// the outbox, in one transaction, outside a turn (a timer refreshed by a
// dealer event, a repair at start-up). The caller wakes the outbox relay.
func (db *DB) ScheduleTimer(ctx context.Context, t Timer, msg OutboxMsg) error {
	op := ScheduleTimerOp(t)
	headers, err := encodeHeaders(msg.Headers)
	if err != nil {
		return fmt.Errorf("store: schedule timer %s %s: %w", t.Kind, t.ID, err)
	}
	payload := msg.Payload
	if payload == nil {
		payload = []byte{}
	}
	err = db.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, op.SQL, op.Args...); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, stmtSQL[stmtInsertOutbox], msg.ID, msg.Subject, payload,
			msg.CreatedAt.UnixMilli(), headers)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: schedule timer %s %s: %w", t.Kind, t.ID, err)
	}
	return nil
}

// RescheduleTimer moves the pending timer t.Kind/t.ID to t.DueAt and queues
// msg (its new message schedule) in one transaction. It reports false, and
// writes nothing, when the timer is no longer pending (a concurrent cancel
// wins). The caller wakes the outbox relay.
func (db *DB) RescheduleTimer(ctx context.Context, t Timer, msg OutboxMsg) (bool, error) {
	return db.rescheduleTimer(ctx, t, time.Time{}, msg)
}

// rescheduleTimer is RescheduleTimer; a non-zero from is also required to
// be the timer's due time (compare-and-set: a timer moved meanwhile is left
// alone).
func (db *DB) rescheduleTimer(ctx context.Context, t Timer, from time.Time, msg OutboxMsg) (bool, error) {
	headers, err := encodeHeaders(msg.Headers)
	if err != nil {
		return false, fmt.Errorf("store: reschedule timer %s %s: %w", t.Kind, t.ID, err)
	}
	payload := msg.Payload
	if payload == nil {
		payload = []byte{}
	}
	var changed bool
	err = db.Write(ctx, func(tx *sql.Tx) error {
		q := `UPDATE timers SET due_at = ? WHERE kind = ? AND id = ? AND status = 'pending'`
		args := []any{t.DueAt.UnixMilli(), t.Kind, t.ID}
		if !from.IsZero() {
			q += ` AND due_at = ?`
			args = append(args, from.UnixMilli())
		}
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		changed = true
		_, err = tx.ExecContext(ctx, stmtSQL[stmtInsertOutbox], msg.ID, msg.Subject, payload,
			msg.CreatedAt.UnixMilli(), headers)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: reschedule timer %s %s: %w", t.Kind, t.ID, err)
	}
	return changed, nil
}

// FinishTimer moves the pending timer kind/id to status (fired or
// cancelled) and runs ops in the same transaction (a notification the
// firing records). It reports whether the timer was still pending; when it
// was not, nothing is written and ops do not run.
func (db *DB) FinishTimer(ctx context.Context, kind, id, status string, at time.Time, ops ...Op) (bool, error) {
	var changed bool
	err := db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, sqlFinishTimer, status, at.UnixMilli(), kind, id)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil || n == 0 {
			return err
		}
		changed = true
		for _, o := range ops {
			if _, err := tx.ExecContext(ctx, o.SQL, o.Args...); err != nil {
				return fmt.Errorf("%s: %w", o.Name, err)
			}
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("store: finish timer %s %s: %w", kind, id, err)
	}
	return changed, nil
}

const timerColumns = `kind, id, user_key, handoff_id, due_at, status, created_at, done_at, queue`

func scanTimer(scan func(dest ...any) error) (Timer, error) {
	var t Timer
	var due, created int64
	var done sql.NullInt64
	if err := scan(&t.Kind, &t.ID, &t.UserKey, &t.HandoffID, &due, &t.Status, &created, &done, &t.Queue); err != nil {
		return Timer{}, err
	}
	t.DueAt, t.CreatedAt, t.DoneAt = fromMS(due), fromMS(created), fromNullMS(done)
	return t, nil
}

// Timer reads the timer kind/id.
// After Close it returns an error wrapping ErrClosed.
func (db *DB) Timer(ctx context.Context, kind, id string) (Timer, bool, error) {
	if db.writer.isClosed() {
		return Timer{}, false, fmt.Errorf("store: timer %s %s: %w", kind, id, ErrClosed)
	}
	row := db.r.QueryRowContext(ctx, `SELECT `+timerColumns+` FROM timers WHERE kind = ? AND id = ?`, kind, id)
	t, err := scanTimer(row.Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return Timer{}, false, nil
	}
	if err != nil {
		return Timer{}, false, fmt.Errorf("store: timer %s %s: %w", kind, id, err)
	}
	return t, true, nil
}

// PendingTimers returns the user's pending timers, soonest first.
func (db *DB) PendingTimers(ctx context.Context, userKey string) ([]Timer, error) {
	return db.timers(ctx, "pending timers", `SELECT `+timerColumns+` FROM timers
		WHERE user_key = ? AND status = 'pending' ORDER BY due_at, kind, id`, userKey)
}

// UserTimers returns every timer of the user, whatever its status: what an
// erasure must purge from JetStream (a cancelled timer's schedule is still
// there until it fires).
func (db *DB) UserTimers(ctx context.Context, userKey string) ([]Timer, error) {
	return db.timers(ctx, "user timers", `SELECT `+timerColumns+` FROM timers
		WHERE user_key = ? ORDER BY due_at, kind, id`, userKey)
}

func (db *DB) timers(ctx context.Context, what, q string, args ...any) ([]Timer, error) {
	if db.writer.isClosed() {
		return nil, fmt.Errorf("store: %s: %w", what, ErrClosed)
	}
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []Timer
	for rows.Next() {
		t, err := scanTimer(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	return out, nil
}

// ConversationsWithoutTimer returns the user keys of conversations that wait
// for something no timer will end: in waiting without a pending wait_timeout
// timer for their handoff, in after_hours without a pending after_hours
// timer, or in human without a pending idle timer for their handoff. Apart
// from human sessions whose idle timer is turned off, it should always be
// empty; anything else is a bug or data from before the timer existed (an
// accepted one_on_one handoff had no idle timer before
// handoff.one_on_one_idle), which a repair schedules.
func (db *DB) ConversationsWithoutTimer(ctx context.Context) ([]string, error) {
	if db.writer.isClosed() {
		return nil, fmt.Errorf("store: conversations without timer: %w", ErrClosed)
	}
	// The conversation rows must be current (they trail the journal).
	if err := db.Flush(ctx); err != nil {
		return nil, fmt.Errorf("store: conversations without timer: %w", err)
	}
	rows, err := db.r.QueryContext(ctx, `SELECT c.user_key FROM conversations c
		WHERE (c.state = 'waiting' AND NOT EXISTS (SELECT 1 FROM timers t
			WHERE t.kind = 'wait_timeout' AND t.id = c.handoff_id AND t.status = 'pending'))
		OR (c.state = 'after_hours' AND NOT EXISTS (SELECT 1 FROM timers t
			WHERE t.user_key = c.user_key AND t.kind = 'after_hours' AND t.status = 'pending'))
		OR (c.state = 'human' AND NOT EXISTS (SELECT 1 FROM timers t
			WHERE t.kind = 'idle' AND t.id = c.handoff_id AND t.status = 'pending'))
		ORDER BY c.user_key`)
	if err != nil {
		return nil, fmt.Errorf("store: conversations without timer: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("store: conversations without timer: %w", err)
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: conversations without timer: %w", err)
	}
	return out, nil
}

// PruneTimers deletes fired and cancelled timers finished before before, in
// writes of at most 500 rows, and returns how many it deleted. Keep them at
// least as long as the stream's MaxAge, so a late firing still finds its row
// (and does nothing). It stops at the first error, wrapped.
func (db *DB) PruneTimers(ctx context.Context, before time.Time) (int, error) {
	return db.pruneChunks(ctx, "timers", `DELETE FROM timers WHERE (kind, id) IN
		(SELECT kind, id FROM timers WHERE status <> 'pending' AND done_at < ? LIMIT ?)`, before)
}
