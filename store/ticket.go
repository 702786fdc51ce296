package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Ticket statuses: open -> assigned -> answered -> closed.
const (
	TicketStatusOpen     = "open"
	TicketStatusAssigned = "assigned"
	TicketStatusAnswered = "answered"
	TicketStatusClosed   = "closed"
)

// TicketReasonUserMessage is the reason of a ticket a user left out of hours
// or while the queue was full.
const TicketReasonUserMessage = "user_message"

// Ticket is work for a human: a message a user left, or what the automatic
// path could not do.
type Ticket struct {
	ID        string    `json:"id"`         // ULID; OpenTicket fills it when empty
	HandoffID string    `json:"handoff_id"` // empty when the cause names no handoff
	UserKey   string    `json:"user_key"`   // empty when unknown
	Queue     string    `json:"queue"`
	Reason    string    `json:"reason"` // user_message, dealer_failed, router_poison, no_sink, notify_failed, ...
	Detail    string    `json:"detail"` // an error message; never personal data
	Status    string    `json:"status"` // "open" when created
	CreatedAt time.Time `json:"created_at"`
	// Code is the 접수번호 the user was shown (user_message tickets; the
	// handoff code on a dealer_failed ticket the wait timer opens).
	Code string `json:"code"`
	// Message is the user's message, masked.
	Message string `json:"message"`
	// ContactID names the encrypted contact row (empty = none); read it
	// with Contact.
	ContactID  string    `json:"contact_id"`
	Assignee   string    `json:"assignee"`
	Answer     string    `json:"answer"`
	AnsweredAt time.Time `json:"answered_at,omitzero"`
	ClosedAt   time.Time `json:"closed_at,omitzero"`
	UpdatedAt  time.Time `json:"updated_at,omitzero"`
	// Test marks bot-test or development-channel traffic: the user's turn
	// for a user_message ticket, the handoff's flag for a ticket opened for
	// a handoff (HandoffID).
	Test bool `json:"test"`
	// ContactPref is how the user asked to be answered instead of a call:
	// "sms" (a text to the number), "chat" or "". A user_message ticket
	// has the one stated at its number prompt, a ticket opened for a
	// handoff (HandoffID) the handoff's.
	ContactPref string `json:"contact_preference,omitempty"`
	// HandoffEndedAt and HandoffEndReason are the end of the handoff the
	// ticket was opened for (HandoffID), read with the ticket: zero while
	// that handoff is open, or when there is none. Ending a handoff leaves
	// its ticket open (an agent may still owe the user a call); this is how
	// the ticket shows it ended.
	HandoffEndedAt   time.Time `json:"handoff_ended_at,omitzero"`
	HandoffEndReason string    `json:"handoff_end_reason,omitempty"`
	// Origin is where the user was when they left a user_message ticket
	// (fsm.TicketOrigin*: "faq", "no_match", "menu", "complaint",
	// "keyword", "wait_timeout", "max_waiting", "after_hours"); empty on
	// other reasons' tickets and on those left before migration 00024.
	Origin string `json:"origin,omitempty"`
}

// sqlTicketFromHandoff opens a ticket for a handoff from the handoff's own
// row: the caller appends the WHERE clause naming the handoff (id = ? first
// among its arguments, after the ticket's id, reason, detail and time) and
// ON CONFLICT DO NOTHING. The ticket takes the handoff's user, queue, code,
// contact preference and test flag, so a column a ticket inherits is named
// here once.
const sqlTicketFromHandoff = `INSERT INTO tickets (id, handoff_id, user_key, queue, reason, detail, code, created_at, contact_pref, test)
	SELECT ?, id, user_key, queue, ?, ?, code, ?, contact_pref, test FROM handoffs`

// OpenTicket records t (with t.Code, the code the user saw, when set)
// through the writer. A second ticket with the same handoff id and reason is
// ignored (created is false): redeliveries are safe. A created ticket's
// Options.TicketEvent message (status TicketStatusOpen) and announce (say,
// the ticket.created message that makes the router tell the notify sinks)
// are queued in the same transaction; nothing is queued for an ignored
// one, so a retried call announces nothing twice. It returns the store's
// error otherwise.
func (db *DB) OpenTicket(ctx context.Context, t Ticket, announce ...OutboxMsg) (created bool, err error) {
	return db.OpenTicketUnless(ctx, t, nil, announce...)
}

// OpenTicketUnless is OpenTicket, except that t is not opened (created is
// false) when its handoff (t.HandoffID, when set) already has a ticket of
// one of the reasons unless, open or not: the router's router_poison
// ticket of a request yields to the handoff's notify_failed or
// dealer_failed ticket (one ticket per handoff; OpenNotifyUnansweredTicket
// yields likewise). The
// check and the insert are one statement in one writer transaction. It
// returns the store's error, wrapped.
func (db *DB) OpenTicketUnless(ctx context.Context, t Ticket, unless []string, announce ...OutboxMsg) (created bool, err error) {
	db.ticketDefaults(&t)
	var user any
	if t.UserKey != "" {
		user = t.UserKey
	}
	args := []any{t.ID, t.HandoffID, user, t.Queue, t.Reason, t.Detail, t.Code, t.CreatedAt.UnixMilli(), t.ContactPref, t.Test}
	// An INSERT … SELECT with an upsert clause needs a WHERE (SQLite's
	// parser): "true" when there is nothing to yield to.
	cond := "true"
	if t.HandoffID != "" && len(unless) > 0 {
		cond = `NOT EXISTS (SELECT 1 FROM tickets k WHERE k.handoff_id = ? AND k.reason IN (?` + strings.Repeat(", ?", len(unless)-1) + `))`
		args = append(args, t.HandoffID)
		for _, r := range unless {
			args = append(args, r)
		}
	}
	q := `INSERT INTO tickets (id, handoff_id, user_key, queue, reason, detail, code, created_at, contact_pref, test)
		SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE ` + cond + ` ON CONFLICT DO NOTHING`
	err = db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		created, err = db.ticketInserted(ctx, tx, res, t, announce)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: open ticket %s for handoff %q: %w", t.Reason, t.HandoffID, err)
	}
	return created, nil
}

// ticketDefaults fills t's creation time and id when they are empty.
func (db *DB) ticketDefaults(t *Ticket) {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = db.now()
	}
	if t.ID == "" {
		t.ID = NewID(t.CreatedAt)
	}
}

// ticketInserted follows an INSERT of ticket t ... ON CONFLICT DO NOTHING
// in tx: when res inserted the row it queues the ticket's opened event and
// the announce messages, and reports created. It returns the first error.
func (db *DB) ticketInserted(ctx context.Context, tx *sql.Tx, res sql.Result, t Ticket, announce []OutboxMsg) (created bool, err error) {
	n, err := res.RowsAffected()
	if err != nil || n != 1 {
		return false, err
	}
	if err := db.queueTicketEvent(ctx, tx, t.ID, TicketStatusOpen, t.CreatedAt); err != nil {
		return false, err
	}
	return true, db.insertOutbox(ctx, tx, announce)
}

// Tickets returns the tickets with the given status, oldest first, every
// column read as ListTickets reads it. It returns ErrClosed after Close or
// the query's error, wrapped.
func (db *DB) Tickets(ctx context.Context, status string) ([]Ticket, error) {
	return db.queryTickets(ctx, "tickets", `SELECT `+ticketCols+` FROM tickets WHERE status = ?
		ORDER BY created_at, id`, status)
}
