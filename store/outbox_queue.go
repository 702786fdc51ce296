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

// QueueOutboxOnce is QueueOutbox for messages that may be pending already:
// each of msgs is committed unless an unpublished outbox row with the same
// subject and payload is there (the relay will publish that one, so a
// second would only be noise on the stream), all in one transaction. It
// returns how many it queued, and the errors of QueueOutbox.
func (db *DB) QueueOutboxOnce(ctx context.Context, msgs ...OutboxMsg) (int, error) {
	if len(msgs) == 0 {
		return 0, nil
	}
	var queued int
	err := db.Write(ctx, func(tx *sql.Tx) error {
		queued = 0 // fn may run again after a retried batch
		for _, m := range msgs {
			pending, err := outboxPending(ctx, tx, m)
			if err != nil {
				return err
			}
			if pending {
				continue
			}
			if err := db.insertOutbox(ctx, tx, []OutboxMsg{m}); err != nil {
				return err
			}
			queued++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: queue outbox once: %w", err)
	}
	return queued, nil
}

// outboxPending reports whether an unpublished outbox row with m's subject
// and payload is there. It returns the query's error, wrapped.
func outboxPending(ctx context.Context, tx *sql.Tx, m OutboxMsg) (bool, error) {
	var pending bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM outbox
		WHERE published_at IS NULL AND subject = ? AND payload = ?)`, m.Subject, nonNil(m.Payload)).Scan(&pending); err != nil {
		return false, fmt.Errorf("find pending %s: %w", m.Subject, err)
	}
	return pending, nil
}

// nonNil returns b, or an empty slice for nil: the outbox stores an absent
// payload as an empty blob, and a nil []byte binds as NULL.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
