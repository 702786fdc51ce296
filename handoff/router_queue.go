package handoff

import (
	"context"
	"sync"
)

// workQueue is one router worker's queue of held messages. It is
// unbounded so that the consumer's callback never blocks: a message is in
// work (kept alive by inWork) from the moment the callback sees it, and a
// callback blocked behind a busy worker would leave the messages nats.go
// has already pulled without a heartbeat, to be redelivered while the
// router works. The consumer's MaxAckPending bounds all queues together.
type workQueue struct {
	mu    sync.Mutex
	items []held
	ready chan struct{} // signalled (cap 1) after a push
}

// newWorkQueue returns an empty queue.
func newWorkQueue() *workQueue {
	return &workQueue{ready: make(chan struct{}, 1)}
}

// push appends h; it never blocks.
func (q *workQueue) push(h held) {
	q.mu.Lock()
	q.items = append(q.items, h)
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// pop returns the oldest message, waiting for one; ok is false once ctx
// has ended, even with messages queued: those are left unacknowledged for
// redelivery.
func (q *workQueue) pop(ctx context.Context) (h held, ok bool) {
	for {
		if ctx.Err() != nil {
			return held{}, false
		}
		q.mu.Lock()
		if len(q.items) > 0 {
			h = q.items[0]
			q.items[0] = held{}
			q.items = q.items[1:]
			if len(q.items) == 0 {
				q.items = nil
			}
			q.mu.Unlock()
			return h, true
		}
		q.mu.Unlock()
		select {
		case <-ctx.Done():
			return held{}, false
		case <-q.ready:
		}
	}
}
