package handoff

import (
	"context"
	"fmt"
	"time"
)

// DefaultRelayMarkDelay is how long the relay may hold acknowledged rows
// before marking them published, so one write marks the rows of many passes.
const DefaultRelayMarkDelay = 100 * time.Millisecond

// pendingMarks are rows JetStream acknowledged that the relay has not yet
// marked published. Only the Run goroutine touches them. Reads of the outbox
// skip them; a crash before they are marked republishes them at start-up,
// which the stream's dedupe window drops (as for a crash between an ack and
// its mark).
type pendingMarks struct {
	ids []string
	set map[string]struct{}
	// due is when the oldest of ids must be marked.
	due time.Time
}

// add records acknowledged ids; the first of a group sets the deadline.
// It returns how many of ids were not held already.
func (p *pendingMarks) add(ids []string, due time.Time) (added int) {
	if len(ids) == 0 {
		return 0
	}
	if p.set == nil {
		p.set = map[string]struct{}{}
	}
	if len(p.ids) == 0 {
		p.due = due
	}
	for _, id := range ids {
		if _, ok := p.set[id]; !ok {
			p.set[id] = struct{}{}
			p.ids = append(p.ids, id)
			added++
		}
	}
	return added
}

func (p *pendingMarks) has(id string) bool {
	_, ok := p.set[id]
	return ok
}

// markDelay returns the relay's MarkDelay or its default; negative means
// mark at once.
func (r *Relay) markDelay() time.Duration {
	if r.MarkDelay == 0 {
		return DefaultRelayMarkDelay
	}
	return r.MarkDelay
}

// holdMarks records acked ids to mark later, and marks everything held at
// once when there are batch rows or no delay.
func (r *Relay) holdMarks(ctx context.Context, acked []string, batch int) error {
	// Counted here, not at the ack: a pass that panicked after some acks
	// held none of them, and the next pass's read publishes them again.
	r.published.Add(uint64(r.marks.add(acked, time.Now().Add(r.markDelay()))))
	if len(r.marks.ids) >= batch || r.markDelay() < 0 {
		return r.flushMarks(ctx)
	}
	return nil
}

// flushMarks marks every held row published in one write. The write
// outlives a cancelled ctx: the rows are in the stream already. On failure
// the rows stay held.
func (r *Relay) flushMarks(ctx context.Context) error {
	if len(r.marks.ids) == 0 {
		return nil
	}
	now := time.Now
	if r.Now != nil {
		now = r.Now
	}
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), relayMarkTimeout)
	err := r.db.MarkPublished(mctx, r.marks.ids, now())
	cancel()
	if err != nil {
		return fmt.Errorf("handoff: relay: %w", err)
	}
	clear(r.marks.set)
	r.marks.ids = r.marks.ids[:0]
	return nil
}

// marksTimer returns a channel that fires when held marks are due, or nil
// when none are held; stop releases its timer.
func (r *Relay) marksTimer() (c <-chan time.Time, stop func()) {
	if len(r.marks.ids) == 0 {
		return nil, func() {}
	}
	t := time.NewTimer(time.Until(r.marks.due))
	return t.C, func() { t.Stop() }
}
