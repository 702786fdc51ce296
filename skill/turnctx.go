package skill

import (
	"context"
	"sync"
	"time"
)

// turnCtx is the context of an inline turn: its values are the request's
// (without the request's cancellation), it ends with DeadlineExceeded at
// the hard deadline — ended by the inlineTurn's own deadline timer, so a
// turn arms no second timer — and with Canceled when the turn returns, as
// context.WithTimeout's cancel did. It lives in the pooled inlineTurn: a
// turn allocates no context, timer or cancel function, and a Done channel
// only when something asks for one.
//
// It implements AfterFunc, so contexts derived from it (context.WithCancel,
// context.AfterFunc: database/sql derives one per query) register with it
// instead of starting a goroutine each.
type turnCtx struct {
	parent   context.Context // the request's context without its cancellation
	deadline time.Time

	mu     sync.Mutex
	done   chan struct{} // made on the first Done; closed when the context ends
	err    error
	afters []afterFunc
	seq    uint64 // numbers afters, so a stop finds its own
}

type afterFunc struct {
	id uint64
	f  func()
}

// closedDone is the Done of a context that ended before anyone asked.
var closedDone = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// start readies c for a turn whose context is parent (already without
// cancellation) and whose deadline is deadline.
func (c *turnCtx) start(parent context.Context, deadline time.Time) {
	c.mu.Lock()
	c.parent, c.deadline, c.done, c.err, c.afters = parent, deadline, nil, nil, c.afters[:0]
	c.mu.Unlock()
}

// end ends c with err (DeadlineExceeded or Canceled) if it has not ended:
// Done is closed and the registered AfterFuncs run, before end returns.
//
// They run here, not each on a goroutine of its own: the context package's
// functions read c.Err() when they run, to cancel the derived context with
// it, and once the turn has returned, c goes back to the pool with its
// inlineTurn and the next turn's start sets Err to nil. A derived context
// still registered at the turn's end, cancelled late with a nil error,
// would panic ("missing cancel error") and end the process. What they do is
// short and does not block (cancel the derived context; context.AfterFunc's
// own function goes on a goroutine of its own), and end is not called with
// any derived context's lock held.
func (c *turnCtx) end(err error) {
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return
	}
	c.err = err
	if c.done == nil {
		c.done = closedDone
	} else {
		close(c.done)
	}
	afters := c.afters
	c.afters = nil
	c.mu.Unlock()
	for _, a := range afters {
		a.f()
	}
}

// Deadline returns the hard deadline.
func (c *turnCtx) Deadline() (time.Time, bool) { return c.deadline, true }

// Done returns a channel closed when the turn's context ends.
func (c *turnCtx) Done() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done == nil {
		c.done = make(chan struct{})
	}
	return c.done
}

// Err returns nil while the context lasts, then DeadlineExceeded or Canceled.
func (c *turnCtx) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Value returns the request context's value for key.
func (c *turnCtx) Value(key any) any { return c.parent.Value(key) }

// AfterFunc arranges for f to run on its own goroutine once c ends (at once
// if it has); stop unregisters f and reports whether it did so before f
// started. context.AfterFunc and context.WithCancel use it.
func (c *turnCtx) AfterFunc(f func()) (stop func() bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		go f()
		return func() bool { return false }
	}
	c.seq++
	id := c.seq
	c.afters = append(c.afters, afterFunc{id: id, f: f})
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		for i, a := range c.afters {
			if a.id == id {
				c.afters = append(c.afters[:i], c.afters[i+1:]...)
				return true
			}
		}
		return false
	}
}
