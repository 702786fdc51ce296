package handoff

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/internal/testlog"
	"github.com/baton-chat/baton/store"
)

// TestRouterGivenUpMessageOpensOneTicketAcrossALostTerm: the router gives a
// message up and its router_poison ticket commits, but the Term never
// reaches JetStream: the router's connection closes inside the ticket's
// transaction, as a crash, a SIGTERM or a lost ack between the commit and
// the Term would leave it. The message comes back to another router, fails
// again and is given up again; it still has one router_poison ticket
// (docs/notify-webhook.md §1.3), the one the first router wrote, and the
// repeat is counted in baton_router_poison_total and logged like any
// given-up message, with ticket_opened=false.
//
//   - ticket_created: a ticket's own ticket.created, given up after
//     MaxDeliver failures of its sink; its ticket names no handoff, so
//     only its id ties it to the message.
//   - undecodable_without_msg_id: a payload that is no id, given up at
//     once, published with no Nats-Msg-Id.
//   - request: a handoff's request; its ticket names the handoff (the
//     unique index on a handoff's tickets by reason catches the repeat).
func TestRouterGivenUpMessageOpensOneTicketAcrossALostTerm(t *testing.T) {
	t.Parallel()
	const maxDeliver = 2
	for _, tc := range []struct {
		name string
		// send publishes the message and returns its subject and the
		// handoff its ticket names.
		send      func(t *testing.T, f *routerFixture) (subject, handoff string)
		sinkPosts int // POSTs the failing sink gets in all
	}{
		{"ticket_created", func(t *testing.T, f *routerFixture) (string, string) {
			now := time.Now().UTC()
			tk := store.Ticket{ID: store.NewID(now), Reason: store.TicketReasonUserMessage, Queue: "general",
				Code: Effects{}.NewCode(), CreatedAt: now}
			if _, err := f.db.OpenTicket(context.Background(), tk); err != nil {
				t.Fatal(err)
			}
			republish(t, f, SubjectTicket(tk.ID, TicketCreated), tk.ID)
			return SubjectTicket(tk.ID, TicketCreated), ""
		}, maxDeliver + 1},
		{"undecodable_without_msg_id", func(t *testing.T, f *routerFixture) (string, string) {
			// Published by hand (nats pub): no Nats-Msg-Id, known by its
			// stream sequence.
			if _, err := f.js.Publish(context.Background(), SubjectRequest("general"), []byte("not an id")); err != nil {
				t.Fatal(err)
			}
			return SubjectRequest("general"), ""
		}, 0},
		{"request", func(t *testing.T, f *routerFixture) (string, string) {
			h := f.escalate(t, "u-lost-term", "notify", time.Now().UTC())
			republish(t, f, SubjectRequest("general"), h.ID)
			return SubjectRequest("general"), h.ID
		}, maxDeliver + 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var nc1 *nats.Conn
			var armed atomic.Bool
			var cut atomic.Value // the id of the ticket whose transaction closed nc1
			f := newRouterFixtureWith(t, store.Options{TicketEvent: func(id, status string, at time.Time) store.OutboxMsg {
				if status == store.TicketStatusOpen && armed.CompareAndSwap(true, false) {
					nc1.Close() // before the commit: the Term after it is lost
					cut.Store(id)
				}
				return TicketEventMsg(id, status, at)
			}})
			sink := newSinkRecorder(t)
			sink.setStatus(http.StatusInternalServerError)
			sinks := NewSinks([]configs.Notify{{Kind: SinkWebhook, URL: sink.srv.URL, Secret: testSecret}}, nil, nil)
			opts := RouterOptions{MaxDeliver: maxDeliver, RetryDelay: 20 * time.Millisecond, AckWait: 200 * time.Millisecond}
			subject, handoff := tc.send(t, f)

			var err error
			if nc1, err = f.e.Connect("router-1"); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(nc1.Close)
			js1, err := jetstream.New(nc1)
			if err != nil {
				t.Fatal(err)
			}
			armed.Store(true)
			first := NewRouter(f.db, js1, sinks, nil, opts)
			stop := startRouter(t, first)
			checkForT(t, 5*time.Second, func() error {
				if cut.Load() == nil || first.Handled() != 1 {
					return fmt.Errorf("the first router has not given the message up yet (%d sink POSTs)", len(sink.requests()))
				}
				return nil
			})
			stop()

			var logs testlog.Buffer
			second := NewRouter(f.db, f.js, sinks, slog.New(slog.NewTextHandler(&logs, nil)), opts)
			startRouter(t, second)
			waitHandled(t, second, 1)
			consumerIdle(t, f)

			all, err := f.db.Tickets(context.Background(), store.TicketStatusOpen)
			if err != nil {
				t.Fatal(err)
			}
			var poison []store.Ticket
			for _, tk := range all {
				if tk.Reason == ticketRouterPoison {
					poison = append(poison, tk)
				}
			}
			if len(poison) != 1 {
				t.Fatalf("got %d router_poison tickets %+v, want one for the one given-up message", len(poison), poison)
			}
			if tk := poison[0]; tk.ID != cut.Load() || tk.HandoffID != handoff || !strings.HasPrefix(tk.Detail, subject+": ") {
				t.Errorf("router_poison ticket: got id %s, handoff %q, detail %q; want id %s (the first router's), handoff %q, a detail naming %s",
					tk.ID, tk.HandoffID, tk.Detail, cut.Load(), handoff, subject)
			}
			if got := counterValue(t, second.poison); got != 1 {
				t.Errorf("second router's baton_router_poison_total: got %v, want 1 (the repeat is counted)", got)
			}
			if got := logs.String(); !strings.Contains(got, "poison message terminated") || !strings.Contains(got, "ticket_opened=false") {
				t.Errorf("second router's log: got\n%s\nwant the give-up logged with ticket_opened=false", got)
			}
			if got := len(sink.requests()); got != tc.sinkPosts {
				t.Errorf("got %d sink POSTs, want %d", got, tc.sinkPosts)
			}
		})
	}
}
