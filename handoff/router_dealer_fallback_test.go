package handoff

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestRouterDealerFailureWithoutSinksOpensOneTicket: a failed dealer with
// no notify sink configured leaves exactly one ticket, dealer_failed (its
// detail saying that no sink is configured), not a second no_sink one.
func TestRouterDealerFailureWithoutSinksOpensOneTicket(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	refused := &fakeDealer{fail: fmt.Errorf("status 400: %w", ErrDealerFailed)}
	rt := NewRouter(f.db, f.js, nil, nil, RouterOptions{
		Dealers: map[string]DealerTarget{"refused": refused}, RetryDelay: 20 * time.Millisecond,
	})
	relay := NewRelay(f.db, f.js, nil)
	relay.Sweep = 50 * time.Millisecond
	runUntilCleanup(t, relay.Run)
	runUntilCleanup(t, rt.Run)

	h := f.escalate(t, "u-nosink", "dealer:refused", time.Now().UTC())
	waitHandled(t, rt, 1)
	wantTickets(t, f, map[string]string{h.ID: "dealer_failed"})
	tks, err := f.db.Tickets(t.Context(), "open")
	if err != nil {
		t.Fatal(err)
	}
	if got := tks[0].Detail; !strings.Contains(got, "no notify sink") {
		t.Errorf("got detail %q, want it to say no notify sink is configured", got)
	}
	// A redelivery opens nothing more.
	republish(t, f, SubjectRequest("general"), h.ID)
	waitHandled(t, rt, 2)
	wantTickets(t, f, map[string]string{h.ID: "dealer_failed"})
}
