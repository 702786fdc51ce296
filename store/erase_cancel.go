package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ErasureCancel is a dealer cancel owed for a handoff of a user being
// erased: everything the cancel needs, kept in table erasure_cancels apart
// from the rows the erasure deletes, until the router has sent it.
type ErasureCancel struct {
	ID      string // ULID, the payload of its outbox message
	Handoff string // the erased handoff's id
	Code    string // the handoff code
	Dealer  string // the dealer's name (target "dealer:<name>")
	Reason  string // the cancel's reason
	At      time.Time
}

// CancelOwe asks an erasure (EraseUserOwing) to record the dealer cancels
// the user's handoffs are owed (see OweErasureCancels): Reason and Now are
// those of a cancel for the open handoff, Msg returns the outbox message
// announcing an owed cancel by its id. The erasure writes them after its
// deletes, so its outbox delete leaves these messages whatever they name.
type CancelOwe struct {
	Reason string
	Now    time.Time
	Msg    func(id string, at time.Time) OutboxMsg
}

// cancelOwedReasons are the end reasons whose end event makes the router
// send the dealer a cancel (handoff.EventCancel, handoff.EventTimeout).
var cancelOwedReasons = []any{"user_cancel", "wait_timeout"}

// OweErasureCancels records, in a transaction of its own, a cancel for
// every dealer handoff of userKey the dealer must still hear about: the open
// one (reason, at now), and ended ones whose cancel (end reason user_cancel
// or wait_timeout) the router has not delivered yet (their own end reason
// and time), since an erasure deletes their rows and purges their events. A
// handoff with a cancel already owed is skipped. msg returns the outbox
// message announcing an owed cancel by its id (the handoff package owns the
// subject); it is written with it. It returns the cancels recorded, and the
// Write errors, wrapped.
//
// An erasure records them with EraseUserOwing instead, in its own
// transaction, so that a failed erasure owes no cancel.
func (db *DB) OweErasureCancels(ctx context.Context, userKey, reason string, now time.Time,
	msg func(id string, at time.Time) OutboxMsg) ([]ErasureCancel, error) {
	var owed []ErasureCancel
	err := db.Write(ctx, func(tx *sql.Tx) error {
		o := CancelOwe{Reason: reason, Now: now, Msg: msg}
		var err error
		if owed, err = owedCancels(ctx, tx, userKey, o); err != nil {
			return err
		}
		return db.recordCancels(ctx, tx, owed, o)
	})
	if err != nil {
		return nil, fmt.Errorf("store: owe erasure cancels: %w", err)
	}
	return owed, nil
}

// owedCancels reads, inside tx, the cancels OweErasureCancels records.
func owedCancels(ctx context.Context, tx *sql.Tx, userKey string, o CancelOwe) ([]ErasureCancel, error) {
	var owed []ErasureCancel
	rows, err := tx.QueryContext(ctx, `SELECT h.id, h.code, substr(h.target, 8), h.end_reason, h.ended_at
		FROM handoffs h
		WHERE h.user_key = ? AND h.target LIKE 'dealer:%'
		  AND NOT EXISTS (SELECT 1 FROM erasure_cancels c WHERE c.handoff = h.id)
		  AND (h.ended_at IS NULL OR (h.end_reason IN (?, ?) AND NOT EXISTS (
		      SELECT 1 FROM handoff_deliveries d WHERE d.handoff_id = h.id AND d.target = h.target || ':cancel')))
		ORDER BY h.id`, append([]any{userKey}, cancelOwedReasons...)...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var (
			c     ErasureCancel
			ended sql.NullInt64
			end   string
		)
		if err := rows.Scan(&c.Handoff, &c.Code, &c.Dealer, &end, &ended); err != nil {
			rows.Close()
			return nil, err
		}
		c.ID, c.Reason, c.At = NewID(o.Now), o.Reason, o.Now
		if ended.Valid {
			c.Reason, c.At = end, fromMS(ended.Int64)
		}
		owed = append(owed, c)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, err
	}
	return owed, nil
}

// recordCancels writes owed and their outbox messages inside tx.
func (db *DB) recordCancels(ctx context.Context, tx *sql.Tx, owed []ErasureCancel, o CancelOwe) error {
	for _, c := range owed {
		if _, err := tx.ExecContext(ctx, `INSERT INTO erasure_cancels (id, handoff, code, dealer, reason, at, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, c.ID, c.Handoff, c.Code, c.Dealer, c.Reason, c.At.UnixMilli(), o.Now.UnixMilli()); err != nil {
			return err
		}
		if err := db.insertOutbox(ctx, tx, []OutboxMsg{o.Msg(c.ID, o.Now)}); err != nil {
			return err
		}
	}
	return nil
}

// ErasureCancelByID reads owed cancel id; ok is false once it is gone
// (sent, or never owed).
func (db *DB) ErasureCancelByID(ctx context.Context, id string) (c ErasureCancel, ok bool, err error) {
	if db.writer.isClosed() {
		return c, false, fmt.Errorf("store: erasure cancel %s: %w", id, ErrClosed)
	}
	var at int64
	err = db.r.QueryRowContext(ctx, `SELECT id, handoff, code, dealer, reason, at FROM erasure_cancels WHERE id = ?`, id).
		Scan(&c.ID, &c.Handoff, &c.Code, &c.Dealer, &c.Reason, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return ErasureCancel{}, false, nil
	}
	if err != nil {
		return ErasureCancel{}, false, fmt.Errorf("store: erasure cancel %s: %w", id, err)
	}
	c.At = fromMS(at)
	return c, true, nil
}

// DropErasureCancel deletes owed cancel id once it has been sent (or can
// never be). Dropping a missing one is not an error. It returns the Write
// errors, wrapped.
func (db *DB) DropErasureCancel(ctx context.Context, id string) error {
	err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM erasure_cancels WHERE id = ?`, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: drop erasure cancel %s: %w", id, err)
	}
	return nil
}
