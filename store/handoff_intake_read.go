package store

import (
	"context"
	"fmt"
	"time"
)

// IntakeField is one stored intake answer of a handoff, without its value:
// what can be said of it without opening it.
type IntakeField struct {
	Name string
	// PII: the field is marked pii: true in the queue's intake.
	PII bool
	// AnsweredAt is when the user gave the answer.
	AnsweredAt time.Time
}

// HandoffIntakeFields returns the intake fields stored for handoff id, in
// the order they were given, without decrypting anything (so it needs no
// key): none when the queue asked none or retention already removed them.
// It returns ErrClosed after Close or the query's error, wrapped.
func (db *DB) HandoffIntakeFields(ctx context.Context, id string) ([]IntakeField, error) {
	if db.writer.isClosed() {
		return nil, fmt.Errorf("store: handoff intake fields %s: %w", id, ErrClosed)
	}
	rows, err := db.r.QueryContext(ctx, `SELECT name, pii, created_at FROM handoff_intake
		WHERE handoff_id = ? ORDER BY created_at, rowid`, id)
	if err != nil {
		return nil, fmt.Errorf("store: handoff intake fields %s: %w", id, err)
	}
	defer rows.Close()
	var out []IntakeField
	for rows.Next() {
		var f IntakeField
		var at int64
		if err := rows.Scan(&f.Name, &f.PII, &at); err != nil {
			return nil, fmt.Errorf("store: handoff intake fields %s: %w", id, err)
		}
		f.AnsweredAt = fromMS(at)
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: handoff intake fields %s: %w", id, err)
	}
	return out, nil
}

// HandoffIntakePublic is HandoffIntake for the fields not marked pii: the
// fields marked pii are neither returned nor decrypted. Its errors are
// HandoffIntake's (ErrUnreadable only for a field it returns).
func (db *DB) HandoffIntakePublic(ctx context.Context, box *ContactBox, id string) ([]IntakeValue, error) {
	return db.handoffIntake(ctx, box, id, false)
}
