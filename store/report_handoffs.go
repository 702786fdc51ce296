package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"time"
)

// QueueFigures are one queue's handoffs in the report's window (test traffic
// left out). Requested = Accepted + Waiting + the sum of EndedUnaccepted.
type QueueFigures struct {
	Queue string `json:"queue"`
	// Requested counts the handoffs opened in the window; Accepted those
	// of them a human took (a notify accept link, a dealer's
	// agent.assigned, the admin API) by the report's end; Waiting those
	// still open that nobody took; EndedUnaccepted those that ended before
	// anybody took them, by end reason (user_cancel, wait_timeout,
	// not_connected, …).
	Requested       int            `json:"requested"`
	Accepted        int            `json:"accepted"`
	Waiting         int            `json:"waiting"`
	EndedUnaccepted map[string]int `json:"ended_unaccepted"`
	// WaitMedianSeconds and WaitP90Seconds are the time from request to
	// acceptance of the Accepted handoffs, whole seconds, nearest rank;
	// null when none was accepted.
	WaitMedianSeconds *int64 `json:"wait_median_seconds"`
	WaitP90Seconds    *int64 `json:"wait_p90_seconds"`
	// CSAT is about the human sessions of the queue that ended in the
	// window, whenever they were requested.
	CSAT CSATFigures `json:"csat"`
}

// CSATFigures count the CSAT question over the human sessions (accepted
// handoffs) that ended in the report's window.
type CSATFigures struct {
	// SessionsEnded counts those sessions; Asked those that were asked the
	// question: in the reply to the user's turn that ended the session, or
	// delivered by the Event API — Kakao accepted the call (a session ended
	// by an agent or a dealer; an idle close, and the end of a handoff
	// failed over from its dealer, ask nothing); Answered those with a
	// score.
	SessionsEnded int `json:"sessions_ended"`
	Asked         int `json:"asked"`
	Answered      int `json:"answered"`
	// Scores counts the answers per score: Scores[0] the 1s … Scores[4] the
	// 5s. Mean is their mean, null when none answered.
	Scores [5]int   `json:"scores"`
	Mean   *float64 `json:"mean"`
}

// handoffFigures returns the QueueFigures of every queue with a handoff
// requested, or a human session ended, at or after since, by queue name.
// Both reads go by an index (handoffs_created, handoffs_ended).
func handoffFigures(ctx context.Context, r *sql.DB, since time.Time) ([]QueueFigures, error) {
	queues := map[string]*QueueFigures{}
	waits := map[string][]int64{}
	of := func(q string) *QueueFigures {
		f := queues[q]
		if f == nil {
			f = &QueueFigures{Queue: q, EndedUnaccepted: map[string]int{}}
			queues[q] = f
		}
		return f
	}
	rows, err := r.QueryContext(ctx, `SELECT queue, created_at, accepted_at, ended_at IS NOT NULL, end_reason
		FROM handoffs WHERE created_at >= ? AND test = 0`, since.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("handoffs requested: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			queue, reason string
			created       int64
			accepted      sql.NullInt64
			ended         bool
		)
		if err := rows.Scan(&queue, &created, &accepted, &ended, &reason); err != nil {
			return nil, fmt.Errorf("handoffs requested: %w", err)
		}
		f := of(queue)
		f.Requested++
		switch {
		case accepted.Valid:
			f.Accepted++
			waits[queue] = append(waits[queue], max(accepted.Int64-created, 0))
		case ended:
			f.EndedUnaccepted[reason]++
		default:
			f.Waiting++
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("handoffs requested: %w", err)
	}
	if err := csatFigures(ctx, r, since, of); err != nil {
		return nil, err
	}
	for q, w := range waits {
		slices.Sort(w)
		queues[q].WaitMedianSeconds, queues[q].WaitP90Seconds = nearestRank(w, 50), nearestRank(w, 90)
	}
	out := make([]QueueFigures, 0, len(queues))
	for _, q := range slices.Sorted(maps.Keys(queues)) {
		out = append(out, *queues[q])
	}
	return out, nil
}

// csatFigures fills the CSAT figures of the human sessions that ended at or
// after since into of(queue). A session counts as asked when its ending
// turn's reply asked (handoffs.csat_asked), when the Event API delivered it
// the question, or when it has an answer. Delivered means Kakao accepted
// the call (it answered with a task id) and its task status did not list
// the user as failed; the deliverer marks a notification sent before the
// call, so a call refused, lost in a crash or of unknown outcome (never
// resent) is not an asked question.
func csatFigures(ctx context.Context, r *sql.DB, since time.Time, of func(string) *QueueFigures) error {
	rows, err := r.QueryContext(ctx, `SELECT h.queue, h.csat_asked <> '' OR EXISTS (SELECT 1 FROM notifications n
			JOIN eventapi_items i ON i.notification_id = n.id JOIN eventapi_sends s ON s.id = i.send_id
			WHERE n.user_key = h.user_key AND n.kind = 'csat' AND n.ref = h.id AND n.status = 'sent' AND s.task_id <> ''),
			(SELECT c.score FROM csat c WHERE c.handoff_id = h.id AND c.handoff_id <> '')
		FROM handoffs h WHERE h.ended_at >= ? AND h.accepted_at IS NOT NULL AND h.test = 0`, since.UnixMilli())
	if err != nil {
		return fmt.Errorf("csat: %w", err)
	}
	defer rows.Close()
	sums := map[string]int{}
	for rows.Next() {
		var (
			queue string
			asked bool
			score sql.NullInt64
		)
		if err := rows.Scan(&queue, &asked, &score); err != nil {
			return fmt.Errorf("csat: %w", err)
		}
		c := &of(queue).CSAT
		c.SessionsEnded++
		if score.Valid && score.Int64 >= 1 && score.Int64 <= 5 {
			c.Answered++
			c.Scores[score.Int64-1]++
			sums[queue] += int(score.Int64)
			asked = true
		}
		if asked {
			c.Asked++
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("csat: %w", err)
	}
	for q, sum := range sums {
		c := &of(q).CSAT
		mean := float64(sum) / float64(c.Answered)
		c.Mean = &mean
	}
	return nil
}

// nearestRank returns the p-th percentile of sorted milliseconds in whole
// seconds (nearest rank: the smallest value with at least p% at or below
// it), or nil when sorted is empty.
func nearestRank(sorted []int64, p int) *int64 {
	if len(sorted) == 0 {
		return nil
	}
	i := max((p*len(sorted)+99)/100, 1) - 1
	s := sorted[i] / 1000
	return &s
}
