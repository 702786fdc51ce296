package handoff

import (
	"context"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// TestRouterFailingSinkGivesAHandoffOneTicket: a notify handoff whose only
// sink (send_closed on) answers 500 to everything gets one ticket, whichever
// comes first of its request running out of deliveries and its unaccepted
// end (docs/notify-webhook.md §1.3), and baton_router_poison_total still
// counts the terminated request.
//
//   - given_up_first: the request's deliveries run out while the user
//     waits (router_poison); then the wait times out. Neither the wait
//     timer's notify_failed nor a new router's handling of the timeout
//     event (as after a restart) opens a second ticket.
//   - ended_first: the wait times out during the request's last POST; that
//     delivery's re-read opens notify_failed, and its failure terminates the
//     request without a router_poison ticket.
func TestRouterFailingSinkGivesAHandoffOneTicket(t *testing.T) {
	t.Parallel()
	yes := true
	for _, tc := range []struct {
		name  string
		endOn int // the sink request during which the wait times out; 0: after the poison
		want  string
	}{
		{"given_up_first", 0, ticketRouterPoison},
		{"ended_first", 3, ticketNotifyFailed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newRouterFixture(t)
			var h atomic.Pointer[store.Handoff]
			sink := newScriptedSink(t, func(n int) int {
				if n == tc.endOn {
					if err := f.endAs(*h.Load(), fsm.EventWaitTimeout, time.Now().UTC()); err != nil {
						t.Error(err)
					}
				}
				return http.StatusInternalServerError
			})
			sinks := NewSinks([]configs.Notify{{Kind: SinkWebhook, URL: sink.srv.URL, Secret: testSecret, SendClosed: &yes}}, nil, nil)
			// AckWait is long enough that no delivery comes back while the
			// router still works on it: with 100 ms the sink once counted 6
			// POSTs for 3 deliveries in a loaded -race run, most likely
			// requests redelivered during a stall. Nothing here waits for an
			// ack deadline: every retry is a Nak with its own delay.
			opts := RouterOptions{MaxDeliver: 3, RetryDelay: 20 * time.Millisecond, AckWait: 2 * time.Second}
			rt := NewRouter(f.db, f.js, sinks, nil, opts)
			hd := f.escalate(t, "u-one-ticket-"+tc.name, "notify", time.Now().UTC())
			h.Store(&hd)
			republish(t, f, SubjectRequest("general"), hd.ID)
			stop := startRouter(t, rt)
			waitHandled(t, rt, 1)
			if got := counterValue(t, rt.poison); got != 1 {
				t.Errorf("baton_router_poison_total: got %v, want 1 (the request was terminated)", got)
			}
			if tc.endOn == 0 {
				stop()
				if err := f.endAs(hd, fsm.EventWaitTimeout, time.Now().UTC()); err != nil {
					t.Fatal(err)
				}
				// The wait timer's firing, then the timeout event
				// handled by a router of a new process.
				if _, err := openNotifyUnanswered(context.Background(), f.db, hd, time.Now().UTC()); err != nil {
					t.Fatal(err)
				}
				rt2 := NewRouter(f.db, f.js, sinks, nil, opts)
				republish(t, f, SubjectEvent(hd.ID, EventTimeout), hd.ID)
				startRouter(t, rt2)
				waitHandled(t, rt2, 1)
			}
			consumerIdle(t, f)
			if got := ticketsOf(t, f, hd.ID); !slices.Equal(got, []string{tc.want}) {
				t.Errorf("got tickets %v, want [%s]: one ticket per handoff", got, tc.want)
			}
			if n, _, _ := sink.counts(); n != opts.MaxDeliver {
				t.Errorf("sink got %d requests, want %d (the request's; no handoff.closed to a sink that refused it)", n, opts.MaxDeliver)
			}
		})
	}
}
