package handoff

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/store"
)

// refuseTickets returns store options under which every ticket the router
// opens fails to commit while refuse is set (its TicketEvent message has no
// subject, which the store refuses inside the ticket's transaction);
// refused counts the refusals.
func refuseTickets(refuse *atomic.Bool, refused *atomic.Int32) store.Options {
	return store.Options{TicketEvent: func(id, status string, at time.Time) store.OutboxMsg {
		if status == store.TicketStatusOpen && refuse.Load() {
			refused.Add(1)
			return store.OutboxMsg{}
		}
		return TicketEventMsg(id, status, at)
	}}
}

// TestRouterPoisonTicketSurvivesARestart: the store refuses the
// router_poison ticket of a message on its last delivery, and the router
// stops then. The message is not lost with it: a new router on the same
// stream and store writes the ticket, exactly once. The new router keeps
// no cause of that failure, so it processes the message once more first
// (Router.afterLast: the failing sink is called a second time), and the
// ticket names what failed then.
func TestRouterPoisonTicketSurvivesARestart(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		send      func(t *testing.T, f *routerFixture) string // returns the handoff id, if any
		wantHooks int                                         // requests the failing sink gets in all
	}{
		{"undecodable", func(t *testing.T, f *routerFixture) string {
			republish(t, f, SubjectRequest("general"), "not an id")
			return ""
		}, 0},
		{"sink_failing_on_the_last_delivery", func(t *testing.T, f *routerFixture) string {
			h := f.escalate(t, "u-poison-restart", "notify", time.Now().UTC())
			republish(t, f, SubjectRequest("general"), h.ID)
			return h.ID
		}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var refuse atomic.Bool
			var refused atomic.Int32
			refuse.Store(true)
			f := newRouterFixtureWith(t, refuseTickets(&refuse, &refused))
			hook := newSinkRecorder(t)
			hook.setStatus(http.StatusInternalServerError)
			sinks := NewSinks([]configs.Notify{{Kind: SinkWebhook, URL: hook.srv.URL, Secret: testSecret}}, nil, nil)
			// MaxDeliver 1: the first delivery is the last the router processes.
			opts := RouterOptions{MaxDeliver: 1, RetryDelay: 20 * time.Millisecond, AckWait: 200 * time.Millisecond}

			first := NewRouter(f.db, f.js, sinks, nil, opts)
			ctx, stop := context.WithCancel(context.Background())
			stopped := make(chan struct{})
			go func() { _ = first.Run(ctx); close(stopped) }()
			t.Cleanup(func() { stop(); <-stopped })
			id := tc.send(t, f)
			checkForT(t, 5*time.Second, func() error {
				if refused.Load() == 0 {
					return fmt.Errorf("the store has not refused the ticket yet")
				}
				return nil
			})
			stop()
			<-stopped
			if got := ticketsOf(t, f, id); len(got) != 0 {
				t.Fatalf("got tickets %v while the store refused them, want none", got)
			}

			refuse.Store(false)
			second := NewRouter(f.db, f.js, sinks, nil, opts)
			runUntilCleanup(t, second.Run)
			checkForT(t, 5*time.Second, func() error {
				if got := ticketsOf(t, f, id); len(got) != 1 || got[0] != ticketRouterPoison {
					return fmt.Errorf("got tickets %v, want one %s ticket from the new router", got, ticketRouterPoison)
				}
				return nil
			})
			waitHandled(t, second, 1)
			tickets := ticketsOf(t, f, id)
			if len(tickets) != 1 {
				t.Errorf("got tickets %v, want exactly one", tickets)
			}
			if got := len(hook.requests()); got != tc.wantHooks {
				t.Errorf("got %d sink requests, want %d (the new router processes the message once more)", got, tc.wantHooks)
			}
			all, err := f.db.Tickets(context.Background(), store.TicketStatusOpen)
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != 1 || !strings.HasPrefix(all[0].Detail, SubjectRequest("general")+": ") {
				t.Errorf("got tickets %+v, want one whose detail names the subject", all)
			}
		})
	}
}
