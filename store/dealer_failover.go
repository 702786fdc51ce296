package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// FailDealerOver records the router's final failure of the dealer of
// handoff t.HandoffID: the delivery mark (e.g. "dealer:<name>:failed", at
// at) and t, its dealer_failed ticket, in one writer transaction, and only
// if the handoff exists, was never accepted and has not ended. A dealer may
// start a session (accepting the handoff) while the router's last attempt
// fails: that handoff is the dealer's, and marking it failed over would
// make every later event of that dealer ignored. A user may cancel, or the
// wait time out, during that attempt: the handoff is over, and its end
// decides whether a ticket is owed (a wait timeout opens its own; a cancel
// none). failed is false, with nothing written, when the handoff was
// accepted, has ended or is gone. A mark or ticket that
// exists already is kept. The ticket takes the handoff's user, queue,
// code, contact preference and test flag; t supplies the id, reason, detail and time (both filled when
// empty). It returns the Write errors, wrapped.
func (db *DB) FailDealerOver(ctx context.Context, t Ticket, mark string, at time.Time) (failed bool, err error) {
	db.ticketDefaults(&t)
	err = db.Write(ctx, func(tx *sql.Tx) error {
		failed = false
		var open bool
		err := tx.QueryRowContext(ctx, `SELECT accepted_at IS NULL AND ended_at IS NULL FROM handoffs WHERE id = ?`, t.HandoffID).Scan(&open)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !open) {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO handoff_deliveries (handoff_id, target, delivered_at)
			VALUES (?, ?, ?) ON CONFLICT (handoff_id, target) DO NOTHING`, t.HandoffID, mark, at.UnixMilli()); err != nil {
			return err
		}
		// The dealer no longer holds it: an agent it assigned before
		// (with no session started) does not hold it either.
		if _, err := tx.ExecContext(ctx, `DELETE FROM handoff_agents WHERE handoff_id = ?`, t.HandoffID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, sqlTicketFromHandoff+` WHERE id = ?
			ON CONFLICT DO NOTHING`,
			t.ID, t.Reason, t.Detail, t.CreatedAt.UnixMilli(), t.HandoffID)
		if err != nil {
			return err
		}
		if _, err := db.ticketInserted(ctx, tx, res, t, nil); err != nil {
			return err
		}
		failed = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("store: fail over the dealer of handoff %s: %w", t.HandoffID, err)
	}
	return failed, nil
}
