package store

import (
	"context"
	"database/sql"
	"fmt"
)

// LogAccesses appends es to the access log in one write transaction and
// returns once they are durable: one row per user a list answer shows (a
// ticket list names many users). An empty es writes nothing. It returns the
// Write errors.
func (db *DB) LogAccesses(ctx context.Context, es []AccessEntry) error {
	if len(es) == 0 {
		return nil
	}
	err := db.Write(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO access_log (at, token_id, role, action, subject, ticket_id, handoff_id)
			VALUES (?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, e := range es {
			if _, err := stmt.ExecContext(ctx, e.At.UnixMilli(), e.TokenID, e.Role, e.Action, e.Subject, e.TicketID, e.HandoffID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: log %d accesses (%s): %w", len(es), es[0].Action, err)
	}
	return nil
}
