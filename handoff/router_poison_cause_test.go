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

// TestRouterPoisonTicketSaysWhatFailed: when the store refuses the
// router_poison ticket on a message's last delivery, the delivery after it
// writes only the ticket, and that ticket still names what failed on the
// last one (not only that the deliveries ran out).
func TestRouterPoisonTicketSaysWhatFailed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		send  func(t *testing.T, f *routerFixture) string // returns the handoff id, if any
		cause string                                      // in the ticket's detail
	}{
		{"undecodable", func(t *testing.T, f *routerFixture) string {
			republish(t, f, SubjectRequest("general"), "not an id")
			return ""
		}, "is not a handoff id"},
		{"sink_failing", func(t *testing.T, f *routerFixture) string {
			h := f.escalate(t, "u-poison-cause", "notify", time.Now().UTC())
			republish(t, f, SubjectRequest("general"), h.ID)
			return h.ID
		}, "500"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var failed atomic.Int32
			f := newRouterFixtureWith(t, failFirstTicket(&failed))
			hook := newSinkRecorder(t)
			hook.setStatus(http.StatusInternalServerError)
			sinks := NewSinks([]configs.Notify{{Kind: SinkWebhook, URL: hook.srv.URL, Secret: testSecret}}, nil, nil)
			rt := NewRouter(f.db, f.js, sinks, nil, RouterOptions{MaxDeliver: 1, RetryDelay: 20 * time.Millisecond})
			runUntilCleanup(t, rt.Run)
			id := tc.send(t, f)
			waitHandled(t, rt, 1)
			if failed.Load() == 0 {
				t.Fatal("the store refused no ticket")
			}
			all, err := f.db.Tickets(context.Background(), store.TicketStatusOpen)
			if err != nil {
				t.Fatal(err)
			}
			var details []string
			for _, tk := range all {
				if id == "" || tk.HandoffID == id {
					details = append(details, tk.Detail)
				}
			}
			if len(details) != 1 || !strings.Contains(details[0], tc.cause) {
				t.Errorf("got ticket details %q, want one naming the cause %q", details, tc.cause)
			}
			if got := fmt.Sprint(details); strings.Contains(got, errOutOfDeliveries.Error()) {
				t.Errorf("got ticket details %q, want the cause, not %q", details, errOutOfDeliveries)
			}
		})
	}
}
