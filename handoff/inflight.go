package handoff

import (
	"context"
	"sync"
)

// inFlight is the set of handoffs whose request the router is handling
// right now (Router.request), so that an erased user's owed cancel can wait
// for it (Router.erasureCancel). The zero value is empty and ready.
type inFlight struct {
	mu sync.Mutex
	m  map[string]*flight
}

// flight counts the requests of one handoff in progress; done closes when
// the last one ends.
type flight struct {
	n    int
	done chan struct{}
}

// begin records a request of handoff id in progress; the returned func ends
// it.
func (f *inFlight) begin(id string) (end func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.m == nil {
		f.m = map[string]*flight{}
	}
	fl := f.m[id]
	if fl == nil {
		fl = &flight{done: make(chan struct{})}
		f.m[id] = fl
	}
	fl.n++
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		if fl.n--; fl.n == 0 {
			close(fl.done)
			delete(f.m, id)
		}
	}
}

// running returns a channel that closes once no request of handoff id is in
// progress, or nil when none is.
func (f *inFlight) running(id string) <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	if fl := f.m[id]; fl != nil {
		return fl.done
	}
	return nil
}

// awaitRequest returns once no request of handoff id is in progress (msg
// is kept from redelivery meanwhile by handle's heartbeat); it returns
// ctx's error if ctx ends first.
func (r *Router) awaitRequest(ctx context.Context, id string) error {
	for {
		done := r.requests.running(id)
		if done == nil {
			return nil
		}
		select {
		case <-done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
