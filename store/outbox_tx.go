package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// insertOutbox queues msgs in the outbox inside tx, the transaction of the
// change they announce. Empty ids are filled with NewID of the message's
// time (or now).
func (db *DB) insertOutbox(ctx context.Context, tx *sql.Tx, msgs []OutboxMsg) error {
	for _, m := range msgs {
		if m.Subject == "" {
			return errors.New("insert outbox: message without subject")
		}
		if m.CreatedAt.IsZero() {
			m.CreatedAt = db.now()
		}
		if m.ID == "" {
			m.ID = NewID(m.CreatedAt)
		}
		headers, err := encodeHeaders(m.Headers)
		if err != nil {
			return fmt.Errorf("insert outbox %s: %w", m.ID, err)
		}
		payload := m.Payload
		if payload == nil {
			payload = []byte{}
		}
		if _, err := tx.ExecContext(ctx, stmtSQL[stmtInsertOutbox], m.ID, m.Subject, payload,
			m.CreatedAt.UnixMilli(), headers); err != nil {
			return fmt.Errorf("insert outbox %s: %w", m.ID, err)
		}
	}
	return nil
}

// queueTicketEvent queues, inside tx, the Options.TicketEvent message of
// ticket id's move to status; nothing when no TicketEvent is set.
func (db *DB) queueTicketEvent(ctx context.Context, tx *sql.Tx, id, status string, at time.Time) error {
	if db.ticketEvent == nil {
		return nil
	}
	return db.insertOutbox(ctx, tx, []OutboxMsg{db.ticketEvent(id, status, at)})
}
