package store

import (
	"context"
	"database/sql"
	"fmt"
)

// sqlNotFailedOver is the condition (on a row of handoffs) that the router
// has not recorded its dealer's final failure: a "dealer:<name>:failed"
// delivery, written when it fell back to the notify sinks.
const sqlNotFailedOver = `NOT EXISTS (SELECT 1 FROM handoff_deliveries d
	WHERE d.handoff_id = handoffs.id AND d.target LIKE 'dealer:%:failed')`

// dealerFailedSQL asks whether handoff ?1 has the router's final dealer
// failure recorded (a "dealer:<name>:failed" delivery).
const dealerFailedSQL = `SELECT EXISTS (SELECT 1 FROM handoff_deliveries
	WHERE handoff_id = ? AND target LIKE 'dealer:%:failed')`

// DealerFailed reports whether the router recorded the final failure of
// handoff id's dealer (and fell back to the notify sinks and a
// dealer_failed ticket). Such a handoff no longer waits in its queue.
// After Close it returns an error wrapping ErrClosed.
func (db *DB) DealerFailed(ctx context.Context, id string) (bool, error) {
	if db.writer.isClosed() {
		return false, fmt.Errorf("store: dealer failure of handoff %s: %w", id, ErrClosed)
	}
	var failed bool
	err := db.r.QueryRowContext(ctx, dealerFailedSQL, id).Scan(&failed)
	if err != nil {
		return false, fmt.Errorf("store: dealer failure of handoff %s: %w", id, err)
	}
	return failed, nil
}

// OpenWaitTimeoutTicket opens t, the dealer_failed ticket of dealer handoff
// t.HandoffID, and queues announce with it, only if that handoff was ended
// by endReason (its wait timeout) without ever being accepted, and its
// dealer neither acknowledged the request (a delivery to the handoff's
// target) nor was failed over by the router (a "dealer:<name>:failed"
// delivery, which opened its own ticket). The check and the insert run in
// one writer transaction, so a dealer's accept committed before the timeout
// leaves no ticket, and one arriving after it finds the handoff ended. The
// ticket takes the handoff's user, queue, code, contact preference and test flag; t supplies the id,
// reason, detail and time (both filled when empty). created is false when
// the handoff does not qualify or the ticket exists. It returns the Write
// errors, wrapped.
func (db *DB) OpenWaitTimeoutTicket(ctx context.Context, t Ticket, endReason string, announce ...OutboxMsg) (created bool, err error) {
	db.ticketDefaults(&t)
	err = db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, sqlTicketFromHandoff+`
			WHERE id = ? AND target LIKE 'dealer:%' AND ended_at IS NOT NULL AND end_reason = ?
				AND accepted_at IS NULL AND `+sqlNotFailedOver+`
				AND NOT EXISTS (SELECT 1 FROM handoff_deliveries a
					WHERE a.handoff_id = handoffs.id AND a.target = handoffs.target)
			ON CONFLICT DO NOTHING`,
			t.ID, t.Reason, t.Detail, t.CreatedAt.UnixMilli(), t.HandoffID, endReason)
		if err != nil {
			return err
		}
		created, err = db.ticketInserted(ctx, tx, res, t, announce)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: open wait timeout ticket for handoff %s: %w", t.HandoffID, err)
	}
	return created, nil
}
