package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// IntakeValue is one answered intake field of a handoff, decrypted.
type IntakeValue struct {
	Name  string
	Value string
	// PII: the field is personal data; only notify sinks with pii: true
	// receive it.
	PII bool
}

const sqlAddIntake = `INSERT INTO handoff_intake (handoff_id, name, user_key, ciphertext, pii, created_at)
	VALUES (?, ?, ?, ?, ?, ?)
	ON CONFLICT (handoff_id, name) DO UPDATE SET ciphertext = excluded.ciphertext, pii = excluded.pii,
		created_at = excluded.created_at`

// intakeAD is the additional data an intake answer is sealed with: a
// ciphertext moved to another handoff or field does not open.
func intakeAD(handoffID, name string) string { return "intake/" + handoffID + "/" + name }

// AddIntakeOp encrypts value and records it as intake field name of the
// handoff handoffID (which may not exist yet) within a turn
// (TurnWrite.Ops); answering a field again replaces it. The plaintext goes
// nowhere else. It returns an error only when the system's randomness fails.
func (b *ContactBox) AddIntakeOp(handoffID, userKey, name, value string, pii bool, at time.Time) (Op, error) {
	sealed, err := b.seal(intakeAD(handoffID, name), value)
	if err != nil {
		return Op{}, fmt.Errorf("store: seal intake %s/%s: %w", handoffID, name, err)
	}
	return Op{Name: "add intake", SQL: sqlAddIntake, Args: []any{handoffID, name, userKey, sealed, pii, at.UnixMilli()}}, nil
}

// DiscardIntakeOp deletes the intake answers stored under handoffID for an
// intake that ended without that handoff, within a turn (TurnWrite.Ops).
func DiscardIntakeOp(handoffID string) Op {
	return Op{Name: "discard intake", SQL: `DELETE FROM handoff_intake WHERE handoff_id = ?1
		AND NOT EXISTS (SELECT 1 FROM handoffs WHERE id = ?1)`, Args: []any{handoffID}}
}

// ErrUnreadable is returned (wrapped) by HandoffIntake when a stored answer
// does not open with the box's key (the contact key changed).
var ErrUnreadable = errors.New("store: sealed with another key")

// HandoffIntake returns the intake answers of handoff id, decrypted with
// box, in the order they were given; none once retention removed them. It
// returns ErrClosed after Close or the query's error, wrapped. Answers that
// do not open with box's key are left out and reported with an error
// wrapping ErrUnreadable, returned together with the answers that did open.
func (db *DB) HandoffIntake(ctx context.Context, box *ContactBox, id string) ([]IntakeValue, error) {
	return db.handoffIntake(ctx, box, id, true)
}

// handoffIntake is HandoffIntake; withPII false leaves the fields marked
// pii out without opening them.
func (db *DB) handoffIntake(ctx context.Context, box *ContactBox, id string, withPII bool) ([]IntakeValue, error) {
	if db.writer.isClosed() {
		return nil, fmt.Errorf("store: handoff intake %s: %w", id, ErrClosed)
	}
	rows, err := db.r.QueryContext(ctx, `SELECT name, ciphertext, pii FROM handoff_intake
		WHERE handoff_id = ? AND (? OR pii = 0) ORDER BY created_at, rowid`, id, withPII)
	if err != nil {
		return nil, fmt.Errorf("store: handoff intake %s: %w", id, err)
	}
	defer rows.Close()
	var out []IntakeValue
	var unreadable []string
	for rows.Next() {
		var v IntakeValue
		var sealed []byte
		if err := rows.Scan(&v.Name, &sealed, &v.PII); err != nil {
			return nil, fmt.Errorf("store: handoff intake %s: %w", id, err)
		}
		if v.Value, err = box.open(intakeAD(id, v.Name), sealed); err != nil {
			unreadable = append(unreadable, v.Name)
			continue
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: handoff intake %s: %w", id, err)
	}
	if len(unreadable) > 0 {
		return out, fmt.Errorf("store: handoff intake %s fields %v: %w", id, unreadable, ErrUnreadable)
	}
	return out, nil
}
