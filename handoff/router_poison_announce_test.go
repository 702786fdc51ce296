package handoff

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/store"
)

// sinkTicketBody is the part of a ticket.created body these tests read.
type sinkTicketBody struct {
	Type   string `json:"type"`
	ID     string `json:"id"`
	Code   string `json:"code"`
	Queue  string `json:"queue"`
	Reason string `json:"reason"`
}

// ticketBodies returns the ticket.created bodies among reqs, each checked
// to be signed and keyed by its ticket id, and how many other requests
// there were.
func ticketBodies(t *testing.T, reqs []recordedReq) (tickets []sinkTicketBody, others int) {
	t.Helper()
	for _, q := range reqs {
		var b sinkTicketBody
		if err := json.Unmarshal(q.Body, &b); err != nil {
			t.Fatalf("sink body %q: %v", q.Body, err)
		}
		if b.Type != "ticket.created" {
			others++
			continue
		}
		verifySignature(t, q.Header.Get("X-Baton-Signature"), q.Body)
		if got := q.Header.Get("Idempotency-Key"); got != b.ID {
			t.Errorf("ticket.created Idempotency-Key: got %q, want the ticket id %q", got, b.ID)
		}
		tickets = append(tickets, b)
	}
	return tickets, others
}

// outboxDrained waits until the relay has published every outbox row.
func outboxDrained(t *testing.T, f *routerFixture) {
	t.Helper()
	checkForT(t, 5*time.Second, func() error {
		rows, err := f.db.PendingOutbox(context.Background(), 10)
		if err != nil {
			return err
		}
		if len(rows) != 0 {
			return fmt.Errorf("%d outbox rows pending, want 0", len(rows))
		}
		return nil
	})
}

// TestRouterGivenUpRequestReachesTheAgentsAsOneTicket: a handoff whose
// only sink answered 500 to every delivery of its request, while the user
// waited, is announced to that sink as a ticket once it is back
// (docs/notify-webhook.md §1.3): exactly one ticket.created, across a
// router restart between the give-up and the announcement and a
// redelivery of the announcement, and one ticket for the handoff.
//
//   - notify: the ticket is the request's router_poison one.
//   - failed_over: a 상담톡 handoff whose dealer is gone was failed over to
//     the sinks (its dealer_failed ticket, opened unannounced since the
//     handoff itself was to reach them); when the sinks then give the
//     request up, that ticket is announced and no router_poison ticket is
//     opened beside it.
func TestRouterGivenUpRequestReachesTheAgentsAsOneTicket(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, target, want string }{
		{"notify", "notify", ticketRouterPoison},
		{"failed_over", "dealer:gone", ticketDealerFailed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newRouterFixture(t)
			// A long AckWait, as in TestRouterFailingSinkGivesAHandoffOneTicket:
			// no request may come back while the router still sends it.
			opts := RouterOptions{MaxDeliver: 3, RetryDelay: 20 * time.Millisecond, AckWait: 2 * time.Second}
			sink := newSinkRecorder(t)
			sink.mu.Lock()
			sink.status = http.StatusInternalServerError
			// The request's last delivery is refused too; the sink is
			// back for whatever comes after it.
			sink.before = func() {
				if len(sink.requests()) == opts.MaxDeliver {
					sink.setStatus(http.StatusOK)
				}
			}
			sink.mu.Unlock()
			sinks := NewSinks([]configs.Notify{{Kind: SinkWebhook, URL: sink.srv.URL, Secret: testSecret}}, nil, nil)
			ctx := context.Background()

			hd := f.escalate(t, "u-given-up-"+tc.name, tc.target, time.Now().UTC())
			republish(t, f, SubjectRequest("general"), hd.ID)
			if err := f.db.MarkPublished(ctx, []string{f.outbox[0].ID}, time.Now()); err != nil {
				t.Fatal(err)
			}
			// The first router gives the request up, and stops before any
			// relay publishes what it queued.
			rt := NewRouter(f.db, f.js, sinks, nil, opts)
			stop := startRouter(t, rt)
			waitHandled(t, rt, 1)
			stop()
			if got := ticketsOf(t, f, hd.ID); !slices.Equal(got, []string{tc.want}) {
				t.Fatalf("got tickets %v, want [%s]: one ticket per handoff", got, tc.want)
			}

			relay := NewRelay(f.db, f.js, nil)
			opts.OnOutbox = relay.Wake
			rt2 := NewRouter(f.db, f.js, sinks, nil, opts)
			runUntilCleanup(t, relay.Run)
			startRouter(t, rt2)
			got := sink.wantCount(t, opts.MaxDeliver+1)
			tickets, _ := ticketBodies(t, got)
			if len(tickets) != 1 {
				t.Fatalf("sink got %d ticket.created, want 1", len(tickets))
			}
			// The announcement delivered again (a relay that published it
			// twice, a crash before its ack).
			outboxDrained(t, f)
			consumerIdle(t, f)
			before := rt2.Handled()
			republish(t, f, SubjectTicket(tickets[0].ID, TicketCreated), tickets[0].ID)
			waitHandled(t, rt2, before+1)
			consumerIdle(t, f)

			tickets, others := ticketBodies(t, sink.requests())
			want := []sinkTicketBody{{Type: "ticket.created", ID: tickets[0].ID, Code: hd.Code, Queue: "general", Reason: tc.want}}
			if !slices.Equal(tickets, want) {
				t.Errorf("sink got ticket.created %+v, want exactly %+v", tickets, want)
			}
			if others != opts.MaxDeliver {
				t.Errorf("sink got %d other requests, want the request's %d", others, opts.MaxDeliver)
			}
			if got := ticketsOf(t, f, hd.ID); !slices.Equal(got, []string{tc.want}) {
				t.Errorf("got tickets %v, want [%s]: one ticket per handoff", got, tc.want)
			}
			if tk, ok, err := f.db.TicketByID(ctx, tickets[0].ID); err != nil || !ok || tk.HandoffID != hd.ID {
				t.Errorf("announced ticket %s: got %+v (found %v, %v), want the ticket of handoff %s", tickets[0].ID, tk, ok, err, hd.ID)
			}
		})
	}
}

// TestRouterPoisonTicketOfATicketIsNotAnnounced: a sink that never comes
// back ends the chain after one announcement. The request is given up and
// its router_poison ticket announced; that announcement is given up too,
// and the router_poison ticket naming it is read in the admin API only
// (counted and logged like any), so the sink hears nothing more.
func TestRouterPoisonTicketOfATicketIsNotAnnounced(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	sink := newSinkRecorder(t)
	sink.setStatus(http.StatusInternalServerError)
	sinks := NewSinks([]configs.Notify{{Kind: SinkWebhook, URL: sink.srv.URL, Secret: testSecret}}, nil, nil)
	relay := NewRelay(f.db, f.js, nil)
	rt := NewRouter(f.db, f.js, sinks, nil, RouterOptions{MaxDeliver: 3, RetryDelay: 20 * time.Millisecond,
		AckWait: time.Second, OnOutbox: relay.Wake})
	hd := f.escalate(t, "u-poison-chain", "notify", time.Now().UTC())
	runUntilCleanup(t, relay.Run)
	startRouter(t, rt)

	// The request and the first ticket's announcement are given up.
	checkForT(t, 10*time.Second, func() error {
		if got := counterValue(t, rt.poison); got < 2 {
			return fmt.Errorf("baton_router_poison_total %v, want 2", got)
		}
		return nil
	})
	outboxDrained(t, f)
	consumerIdle(t, f)
	if got := counterValue(t, rt.poison); got != 2 {
		t.Errorf("baton_router_poison_total: got %v, want 2 (the request and the announcement)", got)
	}
	tickets, others := ticketBodies(t, sink.requests())
	if len(tickets) != 3 || others != 3 {
		t.Errorf("sink got %d ticket.created and %d other requests, want 3 and 3 (each given up once; no second announcement)",
			len(tickets), others)
	}
	all, err := f.db.Tickets(context.Background(), store.TicketStatusOpen)
	if err != nil {
		t.Fatal(err)
	}
	var reasons []string
	for _, tk := range all {
		reasons = append(reasons, tk.Reason+":"+map[bool]string{true: "handoff", false: "none"}[tk.HandoffID == hd.ID])
	}
	if want := []string{"router_poison:handoff", "router_poison:none"}; !slices.Equal(reasons, want) {
		t.Errorf("got tickets %v, want %v", reasons, want)
	}
}

// TestRouterPoisonTicketOfAToldHandoffIsNotAnnounced: a request one sink
// acknowledged reached the agents, so when another sink makes the router
// give it up, its router_poison ticket is for the masters (admin API,
// baton_router_poison_total) and no sink is sent a ticket.created.
func TestRouterPoisonTicketOfAToldHandoffIsNotAnnounced(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	up, down := newSinkRecorder(t), newSinkRecorder(t)
	down.setStatus(http.StatusInternalServerError)
	sinks := NewSinks([]configs.Notify{{ID: "up", Kind: SinkWebhook, URL: up.srv.URL, Secret: testSecret},
		{ID: "down", Kind: SinkWebhook, URL: down.srv.URL, Secret: testSecret}}, nil, nil)
	relay := NewRelay(f.db, f.js, nil)
	rt := NewRouter(f.db, f.js, sinks, nil, RouterOptions{MaxDeliver: 3, RetryDelay: 20 * time.Millisecond,
		AckWait: time.Second, OnOutbox: relay.Wake})
	hd := f.escalate(t, "u-poison-told", "notify", time.Now().UTC())
	runUntilCleanup(t, relay.Run)
	startRouter(t, rt)
	checkForT(t, 10*time.Second, func() error {
		if got := ticketsOf(t, f, hd.ID); !slices.Equal(got, []string{ticketRouterPoison}) {
			return fmt.Errorf("got tickets %v, want [%s]", got, ticketRouterPoison)
		}
		return nil
	})
	outboxDrained(t, f)
	consumerIdle(t, f)
	for name, s := range map[string]*sinkRecorder{"up": up, "down": down} {
		if tickets, _ := ticketBodies(t, s.requests()); len(tickets) != 0 {
			t.Errorf("sink %s got ticket.created %+v, want none: a sink showed the request", name, tickets)
		}
	}
	if n := len(up.requests()); n != 1 {
		t.Errorf("sink up got %d requests, want the request once", n)
	}
}
