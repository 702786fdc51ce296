package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// OpenNotifyUnansweredTicket opens t, the ticket of notify handoff
// t.HandoffID, and queues announce with it, only if that handoff ended by
// one of endReasons (its wait timeout, a return after return_gap) without
// ever being accepted and no notify sink acknowledged it while it was
// waiting (no request delivery recorded at or before its end): an
// escalation the user was told about that no agent could act on. A sink
// whose 2xx came after the end (its POST was under way when the handoff
// ended) showed links that no longer work, so its delivery does not count
// — nor does one recorded in the very millisecond the handoff ended, whose
// order the times cannot tell: a ticket is the side that loses no one —
// nor do the marks the router writes around a request (RequestDelivery).
// A handoff with a no_sink ticket (the router found no sink to tell) or a
// router_poison one (its request ran out of deliveries while the user
// waited: OpenTicketUnless) gets none: that ticket already hands it to an
// agent, and a handoff has one such ticket.
// The check and the insert are one statement in one writer transaction,
// and the tickets table keeps one ticket per (handoff, reason), so every
// caller (the wait timer, the router's redelivery) may call it again. The
// ticket takes the handoff's user, queue, code, contact preference and test flag; t supplies the id,
// reason, detail and time (both filled when empty). created is false when
// the handoff does not qualify or the ticket exists. It returns the Write
// errors, wrapped.
func (db *DB) OpenNotifyUnansweredTicket(ctx context.Context, t Ticket, endReasons []string, announce ...OutboxMsg) (created bool, err error) {
	if len(endReasons) == 0 {
		return false, nil
	}
	db.ticketDefaults(&t)
	args := []any{t.ID, t.Reason, t.Detail, t.CreatedAt.UnixMilli(), t.HandoffID}
	for _, r := range endReasons {
		args = append(args, r)
	}
	q := sqlTicketFromHandoff + `
		WHERE id = ? AND target = 'notify' AND ended_at IS NOT NULL
			AND end_reason IN (?` + strings.Repeat(", ?", len(endReasons)-1) + `)
			AND accepted_at IS NULL
			AND NOT EXISTS (SELECT 1 FROM handoff_deliveries d WHERE d.handoff_id = handoffs.id
				AND d.delivered_at < handoffs.ended_at AND ` + sqlRequestDelivery + `)
			AND NOT EXISTS (SELECT 1 FROM tickets k WHERE k.handoff_id = handoffs.id AND k.reason IN ('no_sink', 'router_poison'))
		ON CONFLICT DO NOTHING`
	err = db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		created, err = db.ticketInserted(ctx, tx, res, t, announce)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: open notify unanswered ticket for handoff %s: %w", t.HandoffID, err)
	}
	return created, nil
}
