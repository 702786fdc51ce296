package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Notification kinds: messages to a user that only the Event API can
// deliver, recorded until they are sent.
const (
	NotifyReopen      = "reopen"       // the queue the user asked about opened
	NotifyTicketReply = "ticket_reply" // an agent answered the user's ticket
	NotifyWaitTimeout = "wait_timeout" // apology after a dealer wait timed out
	NotifyCSAT        = "csat"         // satisfaction question after a human session
)

// Notification statuses.
const (
	NotificationPending = "pending"
	NotificationSent    = "sent"
	NotificationSkipped = "skipped" // not a friend, test traffic, over budget
	NotificationStale   = "stale"   // the event turn found it no longer applies
	NotificationFailed  = "failed"
)

// Notification is a pending (or delivered) Event API message. It holds ids
// only; the event block's turn loads the content when it runs.
type Notification struct {
	ID        string // ULID; AddNotificationOp fills it when empty
	UserKey   string
	Kind      string // Notify*
	Ref       string // ticket or handoff id
	Status    string
	Detail    string
	NotBefore time.Time // earliest send time; zero = CreatedAt
	CreatedAt time.Time
	SentAt    time.Time
}

const sqlAddNotification = `INSERT INTO notifications (id, user_key, kind, ref, status, detail, not_before, created_at)
VALUES (?, ?, ?, ?, 'pending', '', ?, ?)`

// AddNotificationOp records n as pending within a turn (TurnWrite.Ops). It
// fills n.ID and the times when empty.
func AddNotificationOp(n *Notification) Op {
	if n.CreatedAt.IsZero() {
		n.CreatedAt = time.Now()
	}
	if n.NotBefore.IsZero() {
		n.NotBefore = n.CreatedAt
	}
	if n.ID == "" {
		n.ID = NewID(n.CreatedAt)
	}
	return Op{Name: "add notification " + n.Kind, SQL: sqlAddNotification,
		Args: []any{n.ID, n.UserKey, n.Kind, n.Ref, n.NotBefore.UnixMilli(), n.CreatedAt.UnixMilli()}}
}

// AddNotification records n as pending on its own (outside a turn).
func (db *DB) AddNotification(ctx context.Context, n *Notification) error {
	op := AddNotificationOp(n)
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, op.SQL, op.Args...)
		return err
	}); err != nil {
		return fmt.Errorf("store: add notification %s %s: %w", n.Kind, n.ID, err)
	}
	return nil
}

// Notifications returns up to limit notifications with status whose
// not_before is at or before until, oldest first. A zero until means any time.
func (db *DB) Notifications(ctx context.Context, status string, until time.Time, limit int) ([]Notification, error) {
	if db.writer.isClosed() {
		return nil, fmt.Errorf("store: notifications: %w", ErrClosed)
	}
	upto := int64(1<<62 - 1)
	if !until.IsZero() {
		upto = until.UnixMilli()
	}
	rows, err := db.r.QueryContext(ctx, `SELECT id, user_key, kind, ref, status, detail, not_before, created_at, sent_at
		FROM notifications WHERE status = ? AND not_before <= ? ORDER BY not_before, id LIMIT ?`, status, upto, limit)
	if err != nil {
		return nil, fmt.Errorf("store: notifications: %w", err)
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		var nb, created int64
		var sent sql.NullInt64
		if err := rows.Scan(&n.ID, &n.UserKey, &n.Kind, &n.Ref, &n.Status, &n.Detail, &nb, &created, &sent); err != nil {
			return nil, fmt.Errorf("store: notifications: %w", err)
		}
		n.NotBefore, n.CreatedAt, n.SentAt = fromMS(nb), fromMS(created), fromNullMS(sent)
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: notifications: %w", err)
	}
	return out, nil
}

// Notification reads one notification by id.
// After Close it returns an error wrapping ErrClosed.
func (db *DB) Notification(ctx context.Context, id string) (Notification, bool, error) {
	if db.writer.isClosed() {
		return Notification{}, false, fmt.Errorf("store: notification %s: %w", id, ErrClosed)
	}
	var n Notification
	var nb, created int64
	var sent sql.NullInt64
	err := db.r.QueryRowContext(ctx, `SELECT id, user_key, kind, ref, status, detail, not_before, created_at, sent_at
		FROM notifications WHERE id = ?`, id).Scan(&n.ID, &n.UserKey, &n.Kind, &n.Ref, &n.Status, &n.Detail, &nb, &created, &sent)
	if errors.Is(err, sql.ErrNoRows) {
		return Notification{}, false, nil
	}
	if err != nil {
		return Notification{}, false, fmt.Errorf("store: notification %s: %w", id, err)
	}
	n.NotBefore, n.CreatedAt, n.SentAt = fromMS(nb), fromMS(created), fromNullMS(sent)
	return n, true, nil
}

// MarkNotification moves a pending notification to status (sent, skipped,
// stale, failed) with a detail, through the writer. It reports whether the
// row was still pending.
func (db *DB) MarkNotification(ctx context.Context, id, status, detail string, at time.Time) (bool, error) {
	var changed bool
	err := db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE notifications SET status = ?, detail = ?, sent_at = ?
			WHERE id = ? AND status = 'pending'`, status, detail, at.UnixMilli(), id)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		changed = n > 0
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: mark notification %s %s: %w", id, status, err)
	}
	return changed, nil
}

// LatestNotification returns the latest notification of kind about ref (a
// ticket or handoff id) recorded for userKey in db; ok is false when there
// is none. It reads one user's few rows (notifications_user).
// After Close it returns an error wrapping ErrClosed.
func LatestNotification(ctx context.Context, db *DB, userKey, kind, ref string) (Notification, bool, error) {
	if db.writer.isClosed() {
		return Notification{}, false, fmt.Errorf("store: %s notification of %s: %w", kind, ref, ErrClosed)
	}
	var n Notification
	var nb, created int64
	var sent sql.NullInt64
	err := db.r.QueryRowContext(ctx, `SELECT id, user_key, kind, ref, status, detail, not_before, created_at, sent_at
		FROM notifications WHERE user_key = ? AND kind = ? AND ref = ? ORDER BY created_at DESC, id DESC LIMIT 1`,
		userKey, kind, ref).Scan(&n.ID, &n.UserKey, &n.Kind, &n.Ref, &n.Status, &n.Detail, &nb, &created, &sent)
	if errors.Is(err, sql.ErrNoRows) {
		return Notification{}, false, nil
	}
	if err != nil {
		return Notification{}, false, fmt.Errorf("store: %s notification of %s: %w", kind, ref, err)
	}
	n.NotBefore, n.CreatedAt, n.SentAt = fromMS(nb), fromMS(created), fromNullMS(sent)
	return n, true, nil
}

// WithdrawNotificationOp marks a pending notification skipped with detail
// within a turn that tells the user its content instead. It is MustAffect:
// when the notification is no longer pending (the Event API deliverer took
// it first), the turn fails with ErrConflict and, run again, finds it sent.
func WithdrawNotificationOp(id, detail string, at time.Time) Op {
	return Op{Name: "withdraw notification", SQL: `UPDATE notifications SET status = 'skipped', detail = ?, sent_at = ?
		WHERE id = ? AND status = 'pending'`, Args: []any{detail, at.UnixMilli(), id}, MustAffect: true}
}
