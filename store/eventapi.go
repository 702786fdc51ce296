package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ErrOverBudget is returned by BeginEventSend when the send would take the
// day's Event API spend (reserved plus spent) over the budget. Nothing is
// written.
var ErrOverBudget = errors.New("store: event api daily budget exceeded")

// Event API send statuses (eventapi_sends.status).
const (
	EventSendSending   = "sending"   // recorded before the call; a crash leaves it here
	EventSendAccepted  = "accepted"  // Kakao answered SUCCESS with a task id
	EventSendSucceeded = "succeeded" // the task status is final (some or all delivered)
	EventSendFailed    = "failed"    // Kakao refused the call; nothing was billed
	EventSendUnknown   = "unknown"   // the outcome cannot be known; never resent
)

// EventRecipient is a pending notification with what the Event API
// deliverer needs to know about its user.
type EventRecipient struct {
	Notification
	BotID    string // as the user's payload carried it
	IsFriend bool
	Test     bool
}

// EventSend is one Event API call: one event name, one bot id, up to 100
// distinct users.
type EventSend struct {
	ID           string // ULID; params carry it
	BotID        string
	Event        string
	Day          string // Asia/Seoul date the spend is booked on (2026-11-22)
	Users        int
	ReservedWon  int
	Status       string
	TaskID       string
	SuccessCount int
	Won          int
	Detail       string
	CreatedAt    time.Time
	CheckedAt    time.Time
	DoneAt       time.Time
}

// EventItem is one notification in a send.
type EventItem struct {
	NotificationID string
	UserKey        string
}

// PendingEventRecipients returns up to limit pending notifications due at
// until (not_before ≤ until), oldest first, with their users' bot id, friend
// and test flags.
//
// Those flags are read from the users rows, which trail the journal: a
// turn that made the user a friend (or not) is in the cache and the
// journal at once, its row up to FlushAge later. So when anything is due,
// the rows of every conversation newer than them are written first
// (Flush), and the flags are the ones the user's last turn carried. A
// round with nothing due costs one indexed read and never flushes: the
// deliverer asks every few seconds.
func (db *DB) PendingEventRecipients(ctx context.Context, until time.Time, limit int) ([]EventRecipient, error) {
	if db.writer.isClosed() {
		return nil, fmt.Errorf("store: pending event recipients: %w", ErrClosed)
	}
	var due bool
	if err := db.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM notifications
		WHERE status = 'pending' AND not_before <= ?)`, until.UnixMilli()).Scan(&due); err != nil {
		return nil, fmt.Errorf("store: pending event recipients: %w", err)
	}
	if !due {
		return nil, nil
	}
	if err := db.Flush(ctx); err != nil {
		return nil, fmt.Errorf("store: pending event recipients: %w", err)
	}
	rows, err := db.r.QueryContext(ctx, `SELECT n.id, n.user_key, n.kind, n.ref, n.status, n.detail, n.not_before, n.created_at,
		u.bot_id, u.is_friend, u.test
		FROM notifications n JOIN users u ON u.key = n.user_key
		WHERE n.status = 'pending' AND n.not_before <= ? ORDER BY n.not_before, n.id LIMIT ?`, until.UnixMilli(), limit)
	if err != nil {
		return nil, fmt.Errorf("store: pending event recipients: %w", err)
	}
	defer rows.Close()
	var out []EventRecipient
	for rows.Next() {
		var r EventRecipient
		var nb, created int64
		if err := rows.Scan(&r.ID, &r.UserKey, &r.Kind, &r.Ref, &r.Status, &r.Detail, &nb, &created,
			&r.BotID, &r.IsFriend, &r.Test); err != nil {
			return nil, fmt.Errorf("store: pending event recipients: %w", err)
		}
		r.NotBefore, r.CreatedAt = fromMS(nb), fromMS(created)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: pending event recipients: %w", err)
	}
	return out, nil
}

// BeginEventSend records s (status sending) and its items before the call is
// made, moves the items' notifications from pending to sent and reserves
// s.ReservedWon on s.Day — all in one transaction. budgetWon bounds the day's
// reserved plus spent won; over it, nothing is written and ErrOverBudget is
// returned. It returns an error wrapping ErrConflict when a notification is
// no longer pending.
func (db *DB) BeginEventSend(ctx context.Context, s *EventSend, items []EventItem, budgetWon int) error {
	s.Status = EventSendSending
	s.Users = len(items)
	err := db.Write(ctx, func(tx *sql.Tx) error {
		var reserved, spent int
		err := tx.QueryRowContext(ctx, `SELECT reserved_won, spent_won FROM eventapi_spend WHERE day = ?`, s.Day).Scan(&reserved, &spent)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if reserved+spent+s.ReservedWon > budgetWon {
			return ErrOverBudget
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO eventapi_sends (id, bot_id, event, day, users, reserved_won, status, created_at)
			VALUES (?, ?, ?, ?, ?, ?, 'sending', ?)`, s.ID, s.BotID, s.Event, s.Day, s.Users, s.ReservedWon, s.CreatedAt.UnixMilli()); err != nil {
			return err
		}
		for _, it := range items {
			if _, err := tx.ExecContext(ctx, `INSERT INTO eventapi_items (send_id, notification_id, user_key) VALUES (?, ?, ?)`,
				s.ID, it.NotificationID, it.UserKey); err != nil {
				return err
			}
			res, err := tx.ExecContext(ctx, `UPDATE notifications SET status = 'sent', detail = ?, sent_at = ?
				WHERE id = ? AND status = 'pending'`, "send "+s.ID, s.CreatedAt.UnixMilli(), it.NotificationID)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n != 1 {
				return fmt.Errorf("notification %s is not pending: %w", it.NotificationID, ErrConflict)
			}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO eventapi_spend (day, reserved_won) VALUES (?, ?)
			ON CONFLICT(day) DO UPDATE SET reserved_won = reserved_won + excluded.reserved_won`, s.Day, s.ReservedWon)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: begin event send %s: %w", s.ID, err)
	}
	return nil
}

// AcceptEventSend records that Kakao accepted send id as task taskID.
func (db *DB) AcceptEventSend(ctx context.Context, id, taskID string, at time.Time) error {
	err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE eventapi_sends SET status = 'accepted', task_id = ?, checked_at = ?
			WHERE id = ? AND status = 'sending'`, taskID, at.UnixMilli(), id)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: accept event send %s: %w", id, err)
	}
	return nil
}

// FailEventSend records that Kakao refused send id (nothing billed): the
// reservation is released and the send's notifications go back to pending at
// retryAt, or — when retryAt is zero or a notification was tried
// maxTries times (its first try and its retries; it is counted by the sends
// that carried it) — to failed with detail. A send no longer open is left
// alone with its notifications, so recording a refusal again is safe (a
// later send may hold them by then).
func (db *DB) FailEventSend(ctx context.Context, id, detail string, retryAt time.Time, maxTries int, at time.Time) error {
	err := db.Write(ctx, func(tx *sql.Tx) error {
		var open bool
		err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM eventapi_sends
			WHERE id = ? AND status IN ('sending', 'accepted'))`, id).Scan(&open)
		if err != nil || !open {
			return err
		}
		if err := releaseSend(ctx, tx, id, EventSendFailed, detail, 0, 0, at); err != nil {
			return err
		}
		if !retryAt.IsZero() {
			if _, err := tx.ExecContext(ctx, `UPDATE notifications SET status = 'pending', detail = ?, not_before = ?, sent_at = NULL
				WHERE status = 'sent' AND id IN (SELECT notification_id FROM eventapi_items WHERE send_id = ?)
				AND (SELECT count(*) FROM eventapi_items i WHERE i.notification_id = notifications.id) < ?`,
				"retry: "+detail, retryAt.UnixMilli(), id, maxTries); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE notifications SET status = 'failed', detail = ?
			WHERE status = 'sent' AND id IN (SELECT notification_id FROM eventapi_items WHERE send_id = ?)`, detail, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: fail event send %s: %w", id, err)
	}
	return nil
}

// FinishEventSend records the final task status of send id: success
// messages delivered, won spent (booked on the send's day in place of its
// reservation), and the users Kakao listed as failed, whose notifications
// become failed with detail.
func (db *DB) FinishEventSend(ctx context.Context, id string, success, won int, failedUsers []string, detail string, at time.Time) error {
	err := db.Write(ctx, func(tx *sql.Tx) error {
		if err := releaseSend(ctx, tx, id, EventSendSucceeded, detail, success, won, at); err != nil {
			return err
		}
		for _, u := range failedUsers {
			if _, err := tx.ExecContext(ctx, `UPDATE notifications SET status = 'failed', detail = ?
				WHERE status = 'sent' AND id = (SELECT notification_id FROM eventapi_items WHERE send_id = ? AND user_key = ?)`,
				detail, id, u); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: finish event send %s: %w", id, err)
	}
	return nil
}

// releaseSend closes an open send with status and moves its reservation to
// won spent. A send that is already closed is left alone.
func releaseSend(ctx context.Context, tx *sql.Tx, id, status, detail string, success, won int, at time.Time) error {
	var day string
	var reserved int
	err := tx.QueryRowContext(ctx, `SELECT day, reserved_won FROM eventapi_sends WHERE id = ? AND status IN ('sending', 'accepted')`, id).Scan(&day, &reserved)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE eventapi_sends SET status = ?, detail = ?, success_count = ?, won = ?, done_at = ?, checked_at = ?
		WHERE id = ?`, status, detail, success, won, at.UnixMilli(), at.UnixMilli(), id); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE eventapi_spend SET reserved_won = max(0, reserved_won - ?), spent_won = spent_won + ? WHERE day = ?`,
		reserved, won, day)
	return err
}

// AbandonEventSend marks an open send whose outcome cannot be known (a crash
// mid-call, a task that never became final) as unknown. Its reservation stays
// counted against the day's budget and its notifications are never resent.
func (db *DB) AbandonEventSend(ctx context.Context, id, detail string, at time.Time) error {
	err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE eventapi_sends SET status = 'unknown', detail = ?, done_at = ?
			WHERE id = ? AND status IN ('sending', 'accepted')`, detail, at.UnixMilli(), id)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: abandon event send %s: %w", id, err)
	}
	return nil
}

// TouchEventSend records a task-status poll of send id at at.
func (db *DB) TouchEventSend(ctx context.Context, id string, at time.Time) error {
	err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE eventapi_sends SET checked_at = ? WHERE id = ?`, at.UnixMilli(), id)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: touch event send %s: %w", id, err)
	}
	return nil
}

const eventSendCols = `id, bot_id, event, day, users, reserved_won, status, task_id, success_count, won, detail, created_at, checked_at, done_at`

func scanEventSend(scan func(dest ...any) error) (EventSend, error) {
	var s EventSend
	var created int64
	var checked, done sql.NullInt64
	err := scan(&s.ID, &s.BotID, &s.Event, &s.Day, &s.Users, &s.ReservedWon, &s.Status, &s.TaskID,
		&s.SuccessCount, &s.Won, &s.Detail, &created, &checked, &done)
	s.CreatedAt, s.CheckedAt, s.DoneAt = fromMS(created), fromNullMS(checked), fromNullMS(done)
	return s, err
}

// OpenEventSends returns the sends still sending or accepted, oldest first.
// After Close it returns an error wrapping ErrClosed.
func (db *DB) OpenEventSends(ctx context.Context) ([]EventSend, error) {
	if db.writer.isClosed() {
		return nil, fmt.Errorf("store: open event sends: %w", ErrClosed)
	}
	rows, err := db.r.QueryContext(ctx, `SELECT `+eventSendCols+` FROM eventapi_sends
		WHERE status IN ('sending', 'accepted') ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("store: open event sends: %w", err)
	}
	defer rows.Close()
	var out []EventSend
	for rows.Next() {
		s, err := scanEventSend(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("store: open event sends: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: open event sends: %w", err)
	}
	return out, nil
}

// EventSendByID reads one send.
// After Close it returns an error wrapping ErrClosed.
func (db *DB) EventSendByID(ctx context.Context, id string) (EventSend, bool, error) {
	if db.writer.isClosed() {
		return EventSend{}, false, fmt.Errorf("store: event send %s: %w", id, ErrClosed)
	}
	s, err := scanEventSend(db.r.QueryRowContext(ctx, `SELECT `+eventSendCols+` FROM eventapi_sends WHERE id = ?`, id).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return EventSend{}, false, nil
	}
	if err != nil {
		return EventSend{}, false, fmt.Errorf("store: event send %s: %w", id, err)
	}
	return s, true, nil
}

// EventSpend returns the won reserved (open tasks) and spent (final tasks)
// on day.
// After Close it returns an error wrapping ErrClosed.
func (db *DB) EventSpend(ctx context.Context, day string) (reserved, spent int, err error) {
	if db.writer.isClosed() {
		return 0, 0, fmt.Errorf("store: event spend %s: %w", day, ErrClosed)
	}
	err = db.r.QueryRowContext(ctx, `SELECT reserved_won, spent_won FROM eventapi_spend WHERE day = ?`, day).Scan(&reserved, &spent)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, fmt.Errorf("store: event spend %s: %w", day, err)
	}
	return reserved, spent, nil
}

// EventNotification finds the notification an event block's turn is about:
// id is the send id the Event API params carried (resolved with the user) or
// a notification id. Only a notification of userKey is returned.
// After Close it returns an error wrapping ErrClosed.
func (db *DB) EventNotification(ctx context.Context, id, userKey string) (Notification, bool, error) {
	if db.writer.isClosed() {
		return Notification{}, false, fmt.Errorf("store: event notification %s: %w", id, ErrClosed)
	}
	var nid string
	err := db.r.QueryRowContext(ctx, `SELECT notification_id FROM eventapi_items WHERE send_id = ? AND user_key = ?`, id, userKey).Scan(&nid)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		nid = id
	case err != nil:
		return Notification{}, false, fmt.Errorf("store: event notification %s: %w", id, err)
	}
	n, ok, err := db.Notification(ctx, nid)
	if err != nil || !ok || n.UserKey != userKey {
		return Notification{}, false, err
	}
	return n, true, nil
}

// MarkNotificationStaleOp marks a sent notification stale within the event
// block's turn (it no longer applied when Kakao ran the block).
func MarkNotificationStaleOp(id, detail string, at time.Time) Op {
	return Op{Name: "stale notification", SQL: `UPDATE notifications SET status = 'stale', detail = ?, sent_at = coalesce(sent_at, ?)
		WHERE id = ? AND status IN ('sent', 'pending')`, Args: []any{detail, at.UnixMilli(), id}}
}

// TicketAnswer returns a ticket's status and the answer an agent left on it.
// After Close it returns an error wrapping ErrClosed.
func (db *DB) TicketAnswer(ctx context.Context, id string) (status, answer string, ok bool, err error) {
	if db.writer.isClosed() {
		return "", "", false, fmt.Errorf("store: ticket answer %s: %w", id, ErrClosed)
	}
	err = db.r.QueryRowContext(ctx, `SELECT status, answer FROM tickets WHERE id = ?`, id).Scan(&status, &answer)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", false, nil
	}
	if err != nil {
		return "", "", false, fmt.Errorf("store: ticket answer %s: %w", id, err)
	}
	return status, answer, true, nil
}

// CSAT answer sources.
const (
	CSATFromReply = "reply" // the question rode on the turn back from a human
	CSATFromEvent = "event" // the question came by the Event API
)

// CSATAnswerOp records a CSAT score within the user's turn. The session
// rated is handoffID, the handoff the question named, when it is an ended
// handoff of userKey; otherwise (no handoff named, or one not the user's)
// the answer is kept against none (an empty handoff_id): counted among the
// scores, charged to no queue. A second answer for the same handoff is
// ignored (the first answer wins).
func CSATAnswerOp(userKey, handoffID string, score int, source string, test bool, at time.Time) Op {
	return Op{Name: "csat answer", SQL: `INSERT INTO csat (id, user_key, handoff_id, score, source, test, created_at)
		VALUES (?, ?, coalesce((SELECT id FROM handoffs WHERE id = ? AND user_key = ? AND ended_at IS NOT NULL), ''), ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`,
		Args: []any{NewID(at), userKey, handoffID, userKey, score, source, test, at.UnixMilli()}}
}

// CSATAskedOp marks, within the turn that ended it, that the session of
// handoffID was asked the CSAT question from source (CSATFromReply: in that
// turn's reply). A question sent by the Event API is its csat notification
// instead.
func CSATAskedOp(handoffID, source string) Op {
	return Op{Name: "csat asked", SQL: `UPDATE handoffs SET csat_asked = ? WHERE id = ?`, Args: []any{source, handoffID}}
}

// CSATAnswered reports whether the session of handoffID has a CSAT answer.
// After Close it returns an error wrapping ErrClosed.
func (db *DB) CSATAnswered(ctx context.Context, handoffID string) (bool, error) {
	if db.writer.isClosed() {
		return false, fmt.Errorf("store: csat answered %s: %w", handoffID, ErrClosed)
	}
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM csat WHERE handoff_id = ?`, handoffID).Scan(&n); err != nil {
		return false, fmt.Errorf("store: csat answered %s: %w", handoffID, err)
	}
	return n > 0, nil
}

// HandoffCSAT returns the CSAT score (1–5) the user gave the session of
// handoffID and when they gave it; ok is false when they gave none (not
// asked, not answered yet, or the answer was unclear). It returns the
// query's error, wrapped. After Close it returns an error wrapping
// ErrClosed.
func (db *DB) HandoffCSAT(ctx context.Context, handoffID string) (score int, at time.Time, ok bool, err error) {
	if db.writer.isClosed() {
		return 0, time.Time{}, false, fmt.Errorf("store: handoff csat %s: %w", handoffID, ErrClosed)
	}
	var ms int64
	err = db.r.QueryRowContext(ctx, `SELECT score, created_at FROM csat WHERE handoff_id = ?`, handoffID).Scan(&score, &ms)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, false, nil
	}
	if err != nil {
		return 0, time.Time{}, false, fmt.Errorf("store: handoff csat %s: %w", handoffID, err)
	}
	return score, fromMS(ms), true, nil
}

// CSATScores counts the CSAT answers of real (non-test) users per score.
// After Close it returns an error wrapping ErrClosed.
func (db *DB) CSATScores(ctx context.Context) (map[int]int, error) {
	if db.writer.isClosed() {
		return nil, fmt.Errorf("store: csat scores: %w", ErrClosed)
	}
	rows, err := db.r.QueryContext(ctx, `SELECT score, count(*) FROM csat WHERE test = 0 GROUP BY score`)
	if err != nil {
		return nil, fmt.Errorf("store: csat scores: %w", err)
	}
	defer rows.Close()
	out := map[int]int{}
	for rows.Next() {
		var s, n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, fmt.Errorf("store: csat scores: %w", err)
		}
		out[s] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: csat scores: %w", err)
	}
	return out, nil
}

// EventSendNotifications counts the notifications of send sendID that now
// have status.
// After Close it returns an error wrapping ErrClosed.
func (db *DB) EventSendNotifications(ctx context.Context, sendID, status string) (int, error) {
	if db.writer.isClosed() {
		return 0, fmt.Errorf("store: event send %s notifications: %w", sendID, ErrClosed)
	}
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM notifications
		WHERE status = ? AND id IN (SELECT notification_id FROM eventapi_items WHERE send_id = ?)`, status, sendID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: event send %s notifications: %w", sendID, err)
	}
	return n, nil
}
