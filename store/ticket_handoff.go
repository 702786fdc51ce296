package store

import (
	"context"
	"database/sql"
	"fmt"
)

const sqlOpenHandoffTicket = `INSERT INTO tickets (id, handoff_id, user_key, queue, reason, detail, code,
	status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?) ON CONFLICT DO NOTHING`

// OpenHandoffTicket records ticket t of handoff t.HandoffID (with its code,
// the 접수번호 the user saw) unless the handoff already has a ticket of
// t.Reason, and in the same commit queues the ticket's status event and
// announce (say, the ticket.created message that makes the router tell the
// notify sinks). created is false when the ticket already existed; nothing
// is queued then, so a retried call announces nothing twice.
func (db *DB) OpenHandoffTicket(ctx context.Context, t Ticket, announce ...OutboxMsg) (created bool, err error) {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = db.now()
	}
	if t.ID == "" {
		t.ID = NewID(t.CreatedAt)
	}
	err = db.Write(ctx, func(tx *sql.Tx) error {
		var user any
		if t.UserKey != "" {
			user = t.UserKey
		}
		res, err := tx.ExecContext(ctx, sqlOpenHandoffTicket, t.ID, t.HandoffID, user, t.Queue, t.Reason, t.Detail,
			t.Code, t.CreatedAt.UnixMilli(), t.CreatedAt.UnixMilli())
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if created = n == 1; err != nil || !created {
			return err
		}
		if err := db.queueTicketEvent(ctx, tx, t.ID, TicketStatusOpen, t.CreatedAt); err != nil {
			return err
		}
		if len(announce) == 0 {
			return nil
		}
		return db.insertOutbox(ctx, tx, announce)
	})
	if err != nil {
		return false, fmt.Errorf("store: open ticket %s for handoff %q: %w", t.Reason, t.HandoffID, err)
	}
	return created, nil
}
