package store

import (
	"context"
	"time"
)

// OverdueTimers returns at most limit pending timers of kind kinds that
// were due before before, most overdue first: timers whose firing was
// given up on, or whose message schedule was lost, so nothing would fire
// them again (TimerConsumer.SweepOverdue schedules them anew). It returns
// the store's error, wrapped.
func (db *DB) OverdueTimers(ctx context.Context, before time.Time, limit int, kinds ...string) ([]Timer, error) {
	if len(kinds) == 0 {
		return nil, nil
	}
	q := `SELECT ` + timerColumns + ` FROM timers WHERE status = 'pending' AND due_at < ? AND kind IN (?`
	args := []any{before.UnixMilli(), kinds[0]}
	for _, k := range kinds[1:] {
		q += `, ?`
		args = append(args, k)
	}
	q += `) ORDER BY due_at, kind, id LIMIT ?`
	args = append(args, limit)
	return db.timers(ctx, "overdue timers", q, args...)
}
