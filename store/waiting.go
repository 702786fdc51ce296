package store

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Waiting-time window of AcceptStats: the last AcceptSamples acceptances of
// the queue within AcceptWindow.
const (
	AcceptSamples = 20
	AcceptWindow  = 24 * time.Hour
)

// sqlNotTest leaves out test traffic (봇 테스트, a development channel):
// such a handoff reaches a dealer with "test": true, not to be routed to
// real agents, so it is no load on the queue's agents.
const sqlNotTest = `test = 0`

// WaitingCount returns how many handoffs in queue are open and not yet taken
// by a human (the max_waiting count), leaving out those the router failed
// over from their dealer: they no longer count in the queue (design §5), as
// WaitingAhead gives them no position. Test handoffs are left out too: test
// traffic never fills a queue for real users (and a tester meets the queue
// as real users fill it). It reads the handoffs_waiting index.
func (db *DB) WaitingCount(ctx context.Context, queue string) (int, error) {
	if db.writer.isClosed() {
		return 0, fmt.Errorf("store: waiting count of %s: %w", queue, ErrClosed)
	}
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM handoffs
		WHERE queue = ? AND ended_at IS NULL AND accepted_at IS NULL AND `+sqlNotTest+` AND `+sqlNotFailedOver, queue).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: waiting count of %s: %w", queue, err)
	}
	return n, nil
}

// AcceptStats summarises a queue's recent acceptances, for the waiting ETA.
type AcceptStats struct {
	// Samples is how many acceptances the median is taken over (at most
	// AcceptSamples, all within AcceptWindow before now; test handoffs
	// left out).
	Samples int
	// Median is the median of accepted_at − created_at over the samples.
	Median time.Duration
	// Serving counts handoffs of the queue a human accepted within
	// AcceptWindow and that are still open (test handoffs left out): the
	// parallel sessions the queue's agents are holding now.
	Serving int
}

// AcceptStats returns the acceptance statistics of queue as of now. It
// walks two partial indexes (handoffs_accepted, handoffs_serving), reading
// each candidate's row (its reason) and deliveries (failed over or not):
// ≈ 40 µs on a day of history (BenchmarkAcceptStats), once a second per
// queue at most (the waiting view caches it).
func (db *DB) AcceptStats(ctx context.Context, queue string, now time.Time) (AcceptStats, error) {
	var st AcceptStats
	if db.writer.isClosed() {
		return st, fmt.Errorf("store: accept stats of %s: %w", queue, ErrClosed)
	}
	since := now.Add(-AcceptWindow).UnixMilli()
	// A sample is a wait in the queue: not an external session (opened by
	// the dealer when it began, so accepted at once), nor a handoff the
	// router failed over from its dealer (taken by the notify sinks'
	// agents, not the queue's), nor test traffic (not routed to real
	// agents: its wait says nothing of theirs).
	rows, err := db.r.QueryContext(ctx, `SELECT accepted_at - created_at FROM handoffs
		WHERE queue = ? AND accepted_at >= ? AND reason <> 'external' AND `+sqlNotTest+` AND `+sqlNotFailedOver+`
		ORDER BY accepted_at DESC LIMIT ?`, queue, since, AcceptSamples)
	if err != nil {
		return st, fmt.Errorf("store: accept stats of %s: %w", queue, err)
	}
	defer rows.Close()
	waits := make([]int64, 0, AcceptSamples)
	for rows.Next() {
		var wait int64
		if err := rows.Scan(&wait); err != nil {
			return st, fmt.Errorf("store: accept stats of %s: %w", queue, err)
		}
		waits = append(waits, max(wait, 0))
	}
	if err := rows.Err(); err != nil {
		return st, fmt.Errorf("store: accept stats of %s: %w", queue, err)
	}
	// Serving: the sessions the queue's agents hold, external ones
	// included, failed-over ones not (the notify sinks' agents hold them),
	// test ones not (no real agent holds them).
	if err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM handoffs
		WHERE queue = ? AND accepted_at >= ? AND ended_at IS NULL AND `+sqlNotTest+` AND `+sqlNotFailedOver, queue, since).Scan(&st.Serving); err != nil {
		return st, fmt.Errorf("store: accept stats of %s: %w", queue, err)
	}
	st.Samples = len(waits)
	if st.Samples > 0 {
		slices.Sort(waits)
		m := waits[len(waits)/2]
		if len(waits)%2 == 0 {
			m = (waits[len(waits)/2-1] + m) / 2
		}
		st.Median = time.Duration(m) * time.Millisecond
	}
	return st, nil
}
