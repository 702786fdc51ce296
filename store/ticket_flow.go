package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrTicketNotFound is returned (wrapped) by the ticket workflow calls for an
// unknown ticket id.
var ErrTicketNotFound = errors.New("store: ticket not found")

// ErrTicketState is returned (wrapped) when a ticket's status does not allow
// the call (answering a closed ticket, assigning an answered one).
var ErrTicketState = errors.New("store: ticket status does not allow this")

const sqlOpenUserTicket = `INSERT INTO tickets (id, user_key, queue, reason, code, message, contact_id,
	test, status, created_at, updated_at, contact_pref, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?)`

// OpenTicketOp records a ticket within a turn (TurnWrite.Ops). t.Message
// must already be masked. It fills t.ID, t.Status and the times when empty.
func OpenTicketOp(t *Ticket) Op {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = time.Now()
	}
	if t.ID == "" {
		t.ID = NewID(t.CreatedAt)
	}
	if t.Reason == "" {
		t.Reason = TicketReasonUserMessage
	}
	t.Status, t.UpdatedAt = TicketStatusOpen, t.CreatedAt
	return Op{Name: "open ticket " + t.Reason, SQL: sqlOpenUserTicket,
		Args: []any{t.ID, t.UserKey, t.Queue, t.Reason, t.Code, t.Message, t.ContactID, t.Test,
			t.CreatedAt.UnixMilli(), t.CreatedAt.UnixMilli(), t.ContactPref, t.Origin}}
}

// ticketCols are the columns of a Ticket, in the order scanTicket reads
// them: every reader of the tickets table selects these.
const ticketCols = `id, handoff_id, coalesce(user_key, ''), queue, reason, detail, status, created_at,
	code, message, contact_id, assignee, answer, answered_at, closed_at, updated_at, test, contact_pref, origin,
	(SELECT h.ended_at FROM handoffs h WHERE h.id = tickets.handoff_id),
	coalesce((SELECT h.end_reason FROM handoffs h WHERE h.id = tickets.handoff_id), '')`

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// scanTicket reads one row of ticketCols.
func scanTicket(row scanner) (Ticket, error) {
	var t Ticket
	var created int64
	var answered, closed, updated, handoffEnded sql.NullInt64
	if err := row.Scan(&t.ID, &t.HandoffID, &t.UserKey, &t.Queue, &t.Reason, &t.Detail, &t.Status, &created,
		&t.Code, &t.Message, &t.ContactID, &t.Assignee, &t.Answer, &answered, &closed, &updated, &t.Test,
		&t.ContactPref, &t.Origin, &handoffEnded, &t.HandoffEndReason); err != nil {
		return Ticket{}, err
	}
	t.CreatedAt, t.AnsweredAt, t.ClosedAt = fromMS(created), fromNullMS(answered), fromNullMS(closed)
	t.HandoffEndedAt = fromNullMS(handoffEnded)
	t.UpdatedAt = fromNullMS(updated)
	if t.UpdatedAt.IsZero() {
		t.UpdatedAt = t.CreatedAt
	}
	return t, nil
}

// TicketByID reads one ticket; ok is false when there is none. It returns
// ErrClosed after Close or the query's error, wrapped.
func (db *DB) TicketByID(ctx context.Context, id string) (t Ticket, ok bool, err error) {
	if db.writer.isClosed() {
		return t, false, fmt.Errorf("store: ticket %s: %w", id, ErrClosed)
	}
	t, err = scanTicket(db.r.QueryRowContext(ctx, `SELECT `+ticketCols+` FROM tickets WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Ticket{}, false, nil
	}
	if err != nil {
		return Ticket{}, false, fmt.Errorf("store: ticket %s: %w", id, err)
	}
	return t, true, nil
}

// TicketFilter selects tickets for ListTickets. Empty fields match all.
type TicketFilter struct {
	Status string // open, assigned, answered, closed
	Queue  string
	// Code selects the tickets with this 접수번호 (compared exactly: codes
	// are stored upper case); codes are not unique.
	Code string
	// Limit bounds the result; 0 means 100, and at most 1000 are returned.
	Limit int
	// Desc lists newest first instead of oldest first.
	Desc bool
	// After starts the list strictly after this position (a ticket's
	// created_at in unix ms and id, in the list's order); zero: from the
	// first ticket. Use TicketKey for the last ticket of a page.
	After Key
}

// TicketKey is t's position in a ticket list, the After of the next page.
func TicketKey(t Ticket) Key { return Key{N: t.CreatedAt.UnixMilli(), S: t.ID} }

// ListTickets returns the tickets matching f, oldest first (the order work
// is picked up in) unless f.Desc, ordered by created_at and then id. It
// returns ErrClosed after Close or the query's error, wrapped.
func (db *DB) ListTickets(ctx context.Context, f TicketFilter) ([]Ticket, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	var where []string
	var args []any
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, f.Status)
	}
	if f.Queue != "" {
		where, args = append(where, "queue = ?"), append(args, f.Queue)
	}
	if f.Code != "" {
		where, args = append(where, "code = ?"), append(args, f.Code)
	}
	page, pageArgs, order := keyset("created_at", "id", f.Desc, f.After)
	if page != "" {
		where, args = append(where, page), append(args, pageArgs...)
	}
	q := `SELECT ` + ticketCols + ` FROM tickets`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY ` + order + ` LIMIT ?`
	return db.queryTickets(ctx, "list tickets", q, append(args, limit)...)
}

// queryTickets runs q, a SELECT of ticketCols, on the read pool and scans
// every row; op names the call in its errors. It returns ErrClosed after
// Close or the query's error, wrapped.
func (db *DB) queryTickets(ctx context.Context, op, q string, args ...any) ([]Ticket, error) {
	if db.writer.isClosed() {
		return nil, fmt.Errorf("store: %s: %w", op, ErrClosed)
	}
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", op, err)
	}
	defer rows.Close()
	var out []Ticket
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", op, err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", op, err)
	}
	return out, nil
}

// moveTicket updates ticket id when its status is one of from, inside tx.
// It returns ErrTicketNotFound or ErrTicketState when nothing changed.
func moveTicket(ctx context.Context, tx *sql.Tx, id string, from []string, set string, args ...any) error {
	q := `UPDATE tickets SET ` + set + ` WHERE id = ? AND status IN (?` + strings.Repeat(`, ?`, len(from)-1) + `)`
	args = append(args, id)
	for _, s := range from {
		args = append(args, s)
	}
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil || n > 0 {
		return err
	}
	var status string
	err = tx.QueryRowContext(ctx, `SELECT status FROM tickets WHERE id = ?`, id).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrTicketNotFound
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("status %s: %w", status, ErrTicketState)
}

// AssignTicket gives an open (or assigned) ticket to assignee (an admin
// name), through the writer, with its Options.TicketEvent message. It
// returns ErrTicketNotFound, ErrTicketState (answered or closed) or the
// Write errors, wrapped.
func (db *DB) AssignTicket(ctx context.Context, id, assignee string, at time.Time) error {
	err := db.Write(ctx, func(tx *sql.Tx) error {
		if err := moveTicket(ctx, tx, id, []string{TicketStatusOpen, TicketStatusAssigned},
			`status = 'assigned', assignee = ?, updated_at = ?`, assignee, at.UnixMilli()); err != nil {
			return err
		}
		return db.queueTicketEvent(ctx, tx, id, TicketStatusAssigned, at)
	})
	if err != nil {
		return fmt.Errorf("store: assign ticket %s: %w", id, err)
	}
	return nil
}

// AnswerTicket records answer on an open or assigned ticket and, in the same
// transaction, its Options.TicketEvent message and a pending
// NotifyTicketReply notification for its user (the Event API delivers it;
// the event block's turn reads the answer). It returns the notification
// (zero when the ticket names no user),
// ErrTicketNotFound, ErrTicketState (already answered or closed) or the
// Write errors, wrapped. answer is shown to the user as written.
func (db *DB) AnswerTicket(ctx context.Context, id, answer string, at time.Time) (Notification, error) {
	var n Notification
	err := db.Write(ctx, func(tx *sql.Tx) error {
		if err := moveTicket(ctx, tx, id, []string{TicketStatusOpen, TicketStatusAssigned},
			`status = 'answered', answer = ?, answered_at = ?, updated_at = ?`, answer, at.UnixMilli(), at.UnixMilli()); err != nil {
			return err
		}
		if err := db.queueTicketEvent(ctx, tx, id, TicketStatusAnswered, at); err != nil {
			return err
		}
		var user sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT user_key FROM tickets WHERE id = ?`, id).Scan(&user); err != nil {
			return err
		}
		if !user.Valid || user.String == "" {
			return nil
		}
		n = Notification{UserKey: user.String, Kind: NotifyTicketReply, Ref: id, CreatedAt: at}
		op := AddNotificationOp(&n)
		n.Status = NotificationPending
		_, err := tx.ExecContext(ctx, op.SQL, op.Args...)
		return err
	})
	if err != nil {
		return Notification{}, fmt.Errorf("store: answer ticket %s: %w", id, err)
	}
	return n, nil
}

// CloseTicket closes a ticket that is not closed yet, through the writer,
// with its Options.TicketEvent message. It returns ErrTicketNotFound,
// ErrTicketState (already closed) or the Write errors, wrapped.
func (db *DB) CloseTicket(ctx context.Context, id string, at time.Time) error {
	err := db.Write(ctx, func(tx *sql.Tx) error {
		if err := moveTicket(ctx, tx, id, []string{TicketStatusOpen, TicketStatusAssigned, TicketStatusAnswered},
			`status = 'closed', closed_at = ?, updated_at = ?`, at.UnixMilli(), at.UnixMilli()); err != nil {
			return err
		}
		return db.queueTicketEvent(ctx, tx, id, TicketStatusClosed, at)
	})
	if err != nil {
		return fmt.Errorf("store: close ticket %s: %w", id, err)
	}
	return nil
}

// CloseTicketOp is CloseTicket as a statement of a turn: it closes ticket
// id at at unless it is closed already (MustAffect: then the turn fails with
// ErrConflict and writes nothing). The caller queues the ticket's closed
// event in the turn's outbox.
func CloseTicketOp(id string, at time.Time) Op {
	return Op{Name: "close ticket " + id, MustAffect: true,
		SQL: `UPDATE tickets SET status = 'closed', closed_at = ?, updated_at = ?
			WHERE id = ? AND status IN ('open', 'assigned', 'answered')`,
		Args: []any{at.UnixMilli(), at.UnixMilli(), id}}
}

// TicketDeliveries returns the notify sinks already told about ticket id,
// with the time each was recorded (the router skips them on redelivery).
func (db *DB) TicketDeliveries(ctx context.Context, id string) (map[string]time.Time, error) {
	return db.deliveries(ctx, ticketDeliveries, id)
}

// MarkTicketDelivered records, through the writer, that target was told
// about ticket id at at; a pair already recorded keeps its first time. It
// returns the Write errors and a foreign key error for an unknown ticket.
func (db *DB) MarkTicketDelivered(ctx context.Context, id, target string, at time.Time) error {
	return db.markDelivered(ctx, ticketDeliveries, id, target, at)
}
