package store

import (
	"context"
	"database/sql"
)

// ticketOpened finishes, inside tx, the insert of ticket t that res
// reports: when it inserted the row, it queues the ticket's open event
// (Options.TicketEvent) and announce, and reports true; an insert that
// wrote nothing (the ticket exists, or its handoff did not qualify) queues
// nothing and reports false. It returns the statement errors.
func (db *DB) ticketOpened(ctx context.Context, tx *sql.Tx, res sql.Result, t Ticket, announce []OutboxMsg) (bool, error) {
	n, err := res.RowsAffected()
	if err != nil || n != 1 {
		return false, err
	}
	if err := db.queueTicketEvent(ctx, tx, t.ID, TicketStatusOpen, t.CreatedAt); err != nil {
		return false, err
	}
	return true, db.insertOutbox(ctx, tx, announce)
}
