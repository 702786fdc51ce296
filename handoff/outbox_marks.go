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
// marked published, and the rows it marked since the last read of the
// outbox. Only the Run goroutine touches them. Reads of the outbox and rows
// handed to Committed skip both: a crash before the held rows are marked
// republishes them at start-up, which the stream's dedupe window drops (as
// for a crash between an ack and its mark), and a row published and marked
// before the same row was handed over (again) is neither published nor
// counted again. From the next read on, the Seq that read covered
// (Relay.covered) stands for the marked rows.
type pendingMarks struct {
	ids []string
	set map[string]struct{}
	// due is when the oldest of ids must be marked.
	due time.Time
	// marked holds the rows marked since the last read of the outbox.
	marked map[string]struct{}
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

// has reports whether id is held for its mark or was marked since the last
// read.
func (p *pendingMarks) has(id string) bool {
	if _, ok := p.set[id]; ok {
		return true
	}
	_, ok := p.marked[id]
	return ok
}

// markedAll moves the held ids, now marked published, to the rows marked
// lately.
func (p *pendingMarks) markedAll() {
	if p.marked == nil {
		p.marked = map[string]struct{}{}
	}
	for _, id := range p.ids {
		p.marked[id] = struct{}{}
	}
	clear(p.set)
	p.ids = p.ids[:0]
}

// forget drops the rows marked lately, after a read of the outbox that
// succeeded: each of them was committed, handed or read, and published
// before that read ran, so the read covered its Seq, and it is no longer
// pending in the outbox.
func (p *pendingMarks) forget() {
	clear(p.marked)
}

// markDelay returns the relay's MarkDelay or its default; negative means
// mark at once.
func (r *Relay) markDelay() time.Duration {
	if r.MarkDelay == 0 {
		return DefaultRelayMarkDelay
	}
	return r.MarkDelay
}

// holdMarks records acked rows to mark later, and marks everything held at
// once when there are batch rows or no delay. A row is counted and its ack
// latency observed here, once: not at the ack, since a pass that panicked
// after some acks held none of them and the next pass publishes them
// again, and not for a row held or marked already (published again when
// it was handed over after a read had published it).
func (r *Relay) holdMarks(ctx context.Context, acked []ackedRow, batch int) error {
	ids := make([]string, 0, len(acked))
	fresh := make([]time.Duration, 0, len(acked))
	for _, a := range acked {
		if !r.marks.has(a.id) {
			fresh = append(fresh, a.took)
		}
		ids = append(ids, a.id)
	}
	r.marks.add(ids, time.Now().Add(r.markDelay()))
	r.published.Add(uint64(len(fresh)))
	for _, d := range fresh {
		r.ackSeconds.Observe(d.Seconds())
	}
	if obs := r.onAck.Load(); obs != nil {
		for _, d := range fresh {
			(*obs)(d)
		}
	}
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
	r.marks.markedAll()
	if len(r.marks.marked) >= maxHanded {
		r.read.Store(true) // a long time without a read: one lets them go
	}
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
