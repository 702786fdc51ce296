package store

import (
	"context"
	"fmt"
)

// sqlNotFailedOver is the condition (on a row of handoffs) that the router
// has not recorded its dealer's final failure: a "dealer:<name>:failed"
// delivery, written when it fell back to the notify sinks.
const sqlNotFailedOver = `NOT EXISTS (SELECT 1 FROM handoff_deliveries d
	WHERE d.handoff_id = handoffs.id AND d.target LIKE 'dealer:%:failed')`

// DealerFailed reports whether the router recorded the final failure of
// handoff id's dealer (and fell back to the notify sinks and a
// dealer_failed ticket). Such a handoff no longer waits in its queue.
func (db *DB) DealerFailed(ctx context.Context, id string) (bool, error) {
	var failed bool
	err := db.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM handoff_deliveries
		WHERE handoff_id = ? AND target LIKE 'dealer:%:failed')`, id).Scan(&failed)
	if err != nil {
		return false, fmt.Errorf("store: dealer failure of handoff %s: %w", id, err)
	}
	return failed, nil
}
