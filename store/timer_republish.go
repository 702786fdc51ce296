package store

import "context"

// RepublishTimer queues msg, a new message schedule of the pending timer
// t.Kind/t.ID, keeping its due time, only if the timer is still pending
// and still due at t.DueAt (compare-and-set), in one transaction. It
// reports false, and writes nothing, when the timer has moved on: finished,
// or rescheduled meanwhile (an idle timer refreshed by a dealer event),
// whose new schedule must not be overtaken by one for the old, overdue
// time. The sweep of overdue timers and the re-schedule of a given-up one
// use it. The caller wakes the outbox relay.
func (db *DB) RepublishTimer(ctx context.Context, t Timer, msg OutboxMsg) (bool, error) {
	return db.rescheduleTimer(ctx, t, t.DueAt, msg)
}
