package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// LogAccessesOnce appends to the access log, in one write transaction, each
// entry of es that the log does not already hold within the window: an
// entry is skipped when a row with the same token, action, subject, ticket
// and handoff was written at or after e.At - within (checked in that same
// transaction, on the subject index). It returns once the rows are durable,
// with how many it wrote. A list polled by an admin console logs each
// user's ticket once per window instead of once per poll. It returns the
// Write errors.
func (db *DB) LogAccessesOnce(ctx context.Context, es []AccessEntry, within time.Duration) (int, error) {
	if len(es) == 0 {
		return 0, nil
	}
	n := 0
	err := db.Write(ctx, func(tx *sql.Tx) error {
		n = 0
		seen, err := tx.PrepareContext(ctx, `SELECT EXISTS (SELECT 1 FROM access_log
			WHERE subject = ? AND at >= ? AND token_id = ? AND action = ? AND ticket_id = ? AND handoff_id = ?)`)
		if err != nil {
			return err
		}
		defer seen.Close()
		ins, err := tx.PrepareContext(ctx, `INSERT INTO access_log (at, token_id, role, action, subject, ticket_id, handoff_id)
			VALUES (?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer ins.Close()
		for _, e := range es {
			var dup bool
			if err := seen.QueryRowContext(ctx, e.Subject, e.At.Add(-within).UnixMilli(), e.TokenID, e.Action,
				e.TicketID, e.HandoffID).Scan(&dup); err != nil {
				return err
			}
			if dup {
				continue
			}
			if _, err := ins.ExecContext(ctx, e.At.UnixMilli(), e.TokenID, e.Role, e.Action, e.Subject, e.TicketID, e.HandoffID); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: log %d accesses once per %v (%s): %w", len(es), within, es[0].Action, err)
	}
	return n, nil
}
