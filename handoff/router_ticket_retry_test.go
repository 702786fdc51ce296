package handoff

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/store"
)

// failFirstTicket returns store options whose first router ticket fails to
// commit: its TicketEvent message has no subject, which the store refuses
// inside the ticket's transaction (rolled back). failed counts the refusals.
func failFirstTicket(failed *atomic.Int32) store.Options {
	return store.Options{TicketEvent: func(id, status string, at time.Time) store.OutboxMsg {
		if status == store.TicketStatusOpen && failed.CompareAndSwap(0, 1) {
			return store.OutboxMsg{}
		}
		return TicketEventMsg(id, status, at)
	}}
}

// ticketsOf returns the reasons of the open tickets (of handoffID, when not
// empty).
func ticketsOf(t *testing.T, f *routerFixture, handoffID string) []string {
	t.Helper()
	all, err := f.db.Tickets(context.Background(), store.TicketStatusOpen)
	if err != nil {
		t.Fatal(err)
	}
	var reasons []string
	for _, tk := range all {
		if handoffID == "" || tk.HandoffID == handoffID {
			reasons = append(reasons, tk.Reason)
		}
	}
	return reasons
}

// TestRouterRetriesATicketTheStoreRefused: a ticket the router opens (no
// notify sink for a handoff; a poison message) is not lost when the store
// fails to write it once: the message is Nak'd and the next delivery
// writes it — exactly one ticket.
func TestRouterRetriesATicketTheStoreRefused(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		reason     string
		maxDeliver int
		send       func(t *testing.T, f *routerFixture) string // returns the handoff id, if any
	}{
		{"no_sink", ticketNoSink, 0, func(t *testing.T, f *routerFixture) string {
			h := f.escalate(t, "u-ticket-retry", "notify", time.Now().UTC())
			republish(t, f, SubjectRequest("general"), h.ID)
			return h.ID
		}},
		{"router_poison", ticketRouterPoison, 0, func(t *testing.T, f *routerFixture) string {
			republish(t, f, SubjectRequest("general"), "not an id")
			return ""
		}},
		// On its last delivery (MaxDeliver 1) too: the consumer's own
		// MaxDeliver is unlimited, so the message comes back.
		{"router_poison_last_delivery", ticketRouterPoison, 1, func(t *testing.T, f *routerFixture) string {
			republish(t, f, SubjectRequest("general"), "not an id")
			return ""
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var failed atomic.Int32
			f := newRouterFixtureWith(t, failFirstTicket(&failed))
			rt := NewRouter(f.db, f.js, nil, nil, RouterOptions{RetryDelay: 20 * time.Millisecond, MaxDeliver: tc.maxDeliver})
			runUntilCleanup(t, rt.Run)
			id := tc.send(t, f)
			checkForT(t, 5*time.Second, func() error {
				if failed.Load() == 0 {
					return fmt.Errorf("the store has not refused a ticket yet")
				}
				if got := ticketsOf(t, f, id); len(got) != 1 || got[0] != tc.reason {
					return fmt.Errorf("got tickets %v, want one %s ticket after the retry", got, tc.reason)
				}
				return nil
			})
			waitHandled(t, rt, 1)
			if got := ticketsOf(t, f, id); len(got) != 1 {
				t.Errorf("got tickets %v, want exactly one", got)
			}
		})
	}
}
