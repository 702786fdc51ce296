package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// AnnounceHandoffTicket queues again the announcement of the ticket of
// handoff handoffID with reason, when it is not closed: announce builds
// the outbox message from the ticket's id (the caller spells the subject).
// The message is not queued when an unpublished row with the same subject
// and payload is there already. The router uses it for a ticket opened
// without an announcement that must reach the notify sinks after all (a
// failed-over handoff's dealer_failed ticket once the sinks gave up its
// request); a sink told of the ticket before is not told again (its ticket
// delivery record), so a repeated call costs one message on the stream.
// ok is false when there is no such open ticket. It returns the Write
// errors, wrapped.
func (db *DB) AnnounceHandoffTicket(ctx context.Context, handoffID, reason string, announce func(ticketID string) OutboxMsg) (ok bool, err error) {
	err = db.Write(ctx, func(tx *sql.Tx) error {
		ok = false // fn may run again after a retried batch
		var id string
		err := tx.QueryRowContext(ctx, `SELECT id FROM tickets WHERE handoff_id = ? AND reason = ? AND status <> ?`,
			handoffID, reason, TicketStatusClosed).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		m := announce(id)
		pending, err := outboxPending(ctx, tx, m)
		if err != nil {
			return err
		}
		ok = true
		if pending {
			return nil
		}
		return db.insertOutbox(ctx, tx, []OutboxMsg{m})
	})
	if err != nil {
		return false, fmt.Errorf("store: announce the %s ticket of handoff %s: %w", reason, handoffID, err)
	}
	return ok, nil
}
