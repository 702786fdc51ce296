package handoff

import (
	"context"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// inWork is the set of messages the router holds, from the moment the
// consumer hands one over until its ack, nak or term. keep tells JetStream
// that each of them is still in work (InProgress), so that none is
// redelivered while it waits for a busy worker or while a worker spends
// longer than the consumer's AckWait on it: a dealer call alone may take
// 10 s, and an erasure cancel waits for the request of its handoff. A
// redelivery mid-work would count towards MaxDeliver and skip the Nak's
// delay.
type inWork struct {
	mu   sync.Mutex
	next uint64
	msgs map[uint64]jetstream.Msg
}

// newInWork returns an empty set.
func newInWork() *inWork {
	return &inWork{msgs: make(map[uint64]jetstream.Msg)}
}

// add puts msg in work and returns its release; once release returns, no
// InProgress is sent for msg any more, so the ack, nak or term that
// follows is the last word on it. release may be called more than once.
func (w *inWork) add(msg jetstream.Msg) (release func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.next++
	id := w.next
	w.msgs[id] = msg
	return func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		delete(w.msgs, id)
	}
}

// keep sends InProgress for every message in work every interval until
// ctx ends. The sends happen under the lock that release takes: a message
// released is never kept alive afterwards.
func (w *inWork) keep(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			w.mu.Lock()
			for _, msg := range w.msgs {
				_ = msg.InProgress()
			}
			w.mu.Unlock()
		}
	}
}

// len returns how many messages are in work.
func (w *inWork) len() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.msgs)
}
