package handoff

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/store"
)

// scriptedSink is a loopback webhook receiver that answers its n-th request
// (from 1) with answer(n); an answer of 0 holds the request until the
// router gives up on it (its context ends), as a receiver that hangs.
type scriptedSink struct {
	srv     *httptest.Server
	answer  func(n int) int
	release chan struct{}

	mu      sync.Mutex
	n       int // requests received
	ok      int // requests answered 2xx
	holding int // requests held now
}

func newScriptedSink(t *testing.T, answer func(n int) int) *scriptedSink {
	t.Helper()
	s := &scriptedSink{answer: answer, release: make(chan struct{})}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		// Read the body: only then does the server watch the connection,
		// ending req.Context() when the router gives up on the request.
		_, _ = io.Copy(io.Discard, req.Body)
		s.mu.Lock()
		s.n++
		status := s.answer(s.n)
		if status == 0 {
			s.holding++
		}
		s.mu.Unlock()
		if status == 0 {
			select {
			case <-req.Context().Done():
			case <-s.release:
			}
			s.mu.Lock()
			s.holding--
			s.mu.Unlock()
			return
		}
		if status < 300 {
			s.mu.Lock()
			s.ok++
			s.mu.Unlock()
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(s.srv.Close)
	t.Cleanup(func() { close(s.release) }) // runs first: no handler is left holding
	return s
}

// counts returns the requests received, answered 2xx and held now.
func (s *scriptedSink) counts() (n, ok, holding int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n, s.ok, s.holding
}

// sinks returns the webhook sink to s.
func (s *scriptedSink) sinks() []Sink {
	return NewSinks([]configs.Notify{{Kind: SinkWebhook, URL: s.srv.URL, Secret: testSecret}}, nil, nil)
}

// startRouter runs rt until the returned stop is called (or the test ends);
// stop returns once Run has returned.
func startRouter(t *testing.T, rt *Router) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = rt.Run(ctx); close(done) }()
	stop = func() { cancel(); <-done }
	t.Cleanup(stop)
	return stop
}

// consumerIdle waits until the router consumer has nothing pending or
// unacknowledged (redeliveries allowed).
func consumerIdle(t *testing.T, f *routerFixture) {
	t.Helper()
	checkForT(t, 5*time.Second, func() error {
		c, err := f.js.Consumer(context.Background(), StreamName, RouterName)
		if err != nil {
			return err
		}
		info, err := c.Info(context.Background())
		if err != nil {
			return err
		}
		if info.NumPending != 0 || info.NumAckPending != 0 {
			return fmt.Errorf("consumer has %d pending, %d unacknowledged; want 0, 0", info.NumPending, info.NumAckPending)
		}
		return nil
	})
}

// ticketDetails returns the details of the open tickets of handoffID.
func ticketDetails(t *testing.T, f *routerFixture, handoffID string) []string {
	t.Helper()
	all, err := f.db.Tickets(context.Background(), store.TicketStatusOpen)
	if err != nil {
		t.Fatal(err)
	}
	var details []string
	for _, tk := range all {
		if tk.HandoffID == handoffID {
			details = append(details, tk.Detail)
		}
	}
	return details
}

// TestRouterInterruptedLastDeliveryIsDelivered: the router stops (its
// context ends) while the sink holds the message's last delivery, which
// thus neither succeeded nor failed. A new router on the same stream and
// store delivers the handoff, once, instead of writing only a
// router_poison ticket: no ticket, and the message is acked.
func TestRouterInterruptedLastDeliveryIsDelivered(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	// 1: a real failure; 2 (the last delivery): held until the router stops;
	// then accepted.
	sink := newScriptedSink(t, func(n int) int {
		switch n {
		case 1:
			return http.StatusInternalServerError
		case 2:
			return 0
		}
		return http.StatusOK
	})
	opts := RouterOptions{MaxDeliver: 2, RetryDelay: 20 * time.Millisecond, AckWait: 100 * time.Millisecond}
	h := f.escalate(t, "u-last-interrupted", "notify", time.Now().UTC())
	republish(t, f, SubjectRequest("general"), h.ID)

	stop := startRouter(t, NewRouter(f.db, f.js, sink.sinks(), nil, opts))
	checkForT(t, 5*time.Second, func() error {
		if n, _, holding := sink.counts(); n != 2 || holding != 1 {
			return fmt.Errorf("sink got %d requests, holds %d; want the last delivery (2) held", n, holding)
		}
		return nil
	})
	stop()
	if got := ticketsOf(t, f, h.ID); len(got) != 0 {
		t.Fatalf("got tickets %v after the interrupted delivery, want none", got)
	}

	second := NewRouter(f.db, f.js, sink.sinks(), nil, opts)
	startRouter(t, second)
	waitHandled(t, second, 1)
	consumerIdle(t, f)
	if n, ok, _ := sink.counts(); n != 3 || ok != 1 {
		t.Errorf("sink got %d requests, %d accepted; want 3, the handoff accepted exactly once", n, ok)
	}
	if got := ticketsOf(t, f, h.ID); len(got) != 0 {
		t.Errorf("got tickets %v, want none: the handoff was delivered", got)
	}
	done, err := f.db.Deliveries(context.Background(), h.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(done) != 1 {
		t.Errorf("got delivery records %v, want the webhook's only", done)
	}
}

// TestRouterAlwaysFailingMessageEndsAsOneTicket: a message whose sink fails
// on every delivery, with the router running throughout, is processed
// MaxDeliver times, not once more, and ends as exactly one router_poison
// ticket naming what failed.
func TestRouterAlwaysFailingMessageEndsAsOneTicket(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	sink := newScriptedSink(t, func(int) int { return http.StatusInternalServerError })
	// The router runs throughout and counts its deliveries exactly: a long
	// AckWait, so that none comes back while it is still being sent.
	rt := NewRouter(f.db, f.js, sink.sinks(), nil, RouterOptions{MaxDeliver: 3, RetryDelay: 20 * time.Millisecond, AckWait: 2 * time.Second})
	h := f.escalate(t, "u-always-failing", "notify", time.Now().UTC())
	republish(t, f, SubjectRequest("general"), h.ID)
	startRouter(t, rt)
	waitHandled(t, rt, 1)
	consumerIdle(t, f)
	if n, _, _ := sink.counts(); n != 3 {
		t.Errorf("sink got %d requests, want 3 (MaxDeliver)", n)
	}
	details := ticketDetails(t, f, h.ID)
	if len(details) != 1 || !strings.Contains(details[0], "500") {
		t.Errorf("got ticket details %q, want one naming the sink's 500", details)
	}
	if got := ticketsOf(t, f, h.ID); len(got) != 1 || got[0] != ticketRouterPoison {
		t.Errorf("got tickets %v, want one %s", got, ticketRouterPoison)
	}
}

// TestRouterInterruptedEveryTimeIsBounded: a message during which the
// router stops every time (as one that crashes the process would) is
// processed MaxDeliver + maxUnfinishedDeliveries times at most; the
// delivery after them writes exactly one router_poison ticket, out of
// deliveries.
func TestRouterInterruptedEveryTimeIsBounded(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	sink := newScriptedSink(t, func(int) int { return 0 })
	opts := RouterOptions{MaxDeliver: 1, RetryDelay: 20 * time.Millisecond, AckWait: 100 * time.Millisecond}
	h := f.escalate(t, "u-interrupted-always", "notify", time.Now().UTC())
	republish(t, f, SubjectRequest("general"), h.ID)

	const limit = 1 + maxUnfinishedDeliveries
	var last *Router
	for i := range limit + 3 { // a few routers more than the bound needs
		last = NewRouter(f.db, f.js, sink.sinks(), nil, opts)
		stop := startRouter(t, last)
		checkForT(t, 5*time.Second, func() error {
			n, _, holding := sink.counts()
			if holding == 1 && n == i+1 || len(ticketsOf(t, f, h.ID)) > 0 {
				return nil
			}
			return fmt.Errorf("router %d: sink got %d requests, holds %d; no ticket yet", i+1, n, holding)
		})
		if len(ticketsOf(t, f, h.ID)) > 0 {
			break
		}
		stop()
	}
	waitHandled(t, last, 1)
	consumerIdle(t, f)
	if n, _, _ := sink.counts(); n != limit {
		t.Errorf("sink got %d requests, want %d (MaxDeliver + maxUnfinishedDeliveries)", n, limit)
	}
	details := ticketDetails(t, f, h.ID)
	if len(details) != 1 || !strings.Contains(details[0], "out of deliveries") {
		t.Errorf("got ticket details %q, want one saying out of deliveries", details)
	}
}

// TestRouterFailingAcrossRestartsIsBounded: a message whose sink fails on
// every delivery while the store refuses its ticket, with the router
// restarted after every refusal (each new router keeps no cause, so it
// processes the message again), is processed MaxDeliver +
// maxUnfinishedDeliveries times at most; once the store takes tickets, it
// ends as exactly one router_poison ticket.
func TestRouterFailingAcrossRestartsIsBounded(t *testing.T) {
	t.Parallel()
	var refuse atomic.Bool
	var refused atomic.Int32
	refuse.Store(true)
	f := newRouterFixtureWith(t, refuseTickets(&refuse, &refused))
	sink := newScriptedSink(t, func(int) int { return http.StatusInternalServerError })
	opts := RouterOptions{MaxDeliver: 1, RetryDelay: 20 * time.Millisecond, AckWait: 100 * time.Millisecond}
	h := f.escalate(t, "u-failing-restarts", "notify", time.Now().UTC())
	republish(t, f, SubjectRequest("general"), h.ID)

	const restarts = 1 + maxUnfinishedDeliveries + 3 // more than the bound allows
	for i := range restarts {
		before := refused.Load()
		stop := startRouter(t, NewRouter(f.db, f.js, sink.sinks(), nil, opts))
		checkForT(t, 5*time.Second, func() error {
			if refused.Load() == before {
				return fmt.Errorf("router %d: the store has refused no ticket yet", i+1)
			}
			return nil
		})
		stop()
	}
	if got := ticketsOf(t, f, h.ID); len(got) != 0 {
		t.Fatalf("got tickets %v while the store refused them, want none", got)
	}
	refuse.Store(false)
	last := NewRouter(f.db, f.js, sink.sinks(), nil, opts)
	startRouter(t, last)
	waitHandled(t, last, 1)
	consumerIdle(t, f)
	if n, _, _ := sink.counts(); n < 1 || n > 1+maxUnfinishedDeliveries {
		t.Errorf("sink got %d requests, want 1 to %d (MaxDeliver + maxUnfinishedDeliveries)", n, 1+maxUnfinishedDeliveries)
	}
	if got := ticketsOf(t, f, h.ID); len(got) != 1 || got[0] != ticketRouterPoison {
		t.Errorf("got tickets %v, want exactly one %s", got, ticketRouterPoison)
	}
}
