package store

import (
	"context"
	"database/sql"
	"fmt"
)

// QueueOutbox commits msgs to the outbox in one transaction of their own,
// for messages that announce no change of the store (a request published
// again after the JetStream store was lost). It returns the Write errors
// (ErrClosed, ctx.Err(), the COMMIT's error) and an error for a message
// without a subject.
func (db *DB) QueueOutbox(ctx context.Context, msgs ...OutboxMsg) error {
	if len(msgs) == 0 {
		return nil
	}
	if err := db.Write(ctx, func(tx *sql.Tx) error { return db.insertOutbox(ctx, tx, msgs) }); err != nil {
		return fmt.Errorf("store: queue outbox: %w", err)
	}
	return nil
}
