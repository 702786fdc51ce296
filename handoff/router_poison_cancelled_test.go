package handoff

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
)

// TestCancelledHandoffGivenUpIsNotAnnounced: a notify handoff whose
// only sink (send_closed) hangs on every POST (no answer in time: its
// attempt mark stands) is cancelled by the user while the request is being
// retried. From then on every delivery of the request only retries the
// handoff.closed message. When the request is given up, its router_poison
// ticket must not be announced to the sinks as "a request every sink
// refused while the user waited: call the user back"
// (docs/notify-webhook.md §1.2/§1.3: only a request given up while the
// user waited is announced; a router_poison ticket of a handoff.closed is
// read in the admin API only; design §6: a cancel opens no ticket for the
// agents).
func TestCancelledHandoffGivenUpIsNotAnnounced(t *testing.T) {
	f := newRouterFixture(t)
	sink := newSinkRecorder(t)
	sink.mu.Lock()
	sink.before = func() { time.Sleep(300 * time.Millisecond) } // longer than the client's timeout
	sink.mu.Unlock()
	yes := true
	sinks := NewSinks([]configs.Notify{{Kind: SinkWebhook, URL: sink.srv.URL, Secret: testSecret, SendClosed: &yes}},
		SinkClient(100*time.Millisecond), nil)
	opts := RouterOptions{MaxDeliver: 3, RetryDelay: 200 * time.Millisecond, AckWait: 2 * time.Second}
	ctx := context.Background()

	at := time.Now().UTC()
	h := f.escalate(t, "u-cancel-given-up", "notify", at)
	republish(t, f, SubjectRequest("general"), h.ID)
	if err := f.db.MarkPublished(ctx, []string{f.outbox[0].ID}, time.Now()); err != nil {
		t.Fatal(err)
	}
	rt := NewRouter(f.db, f.js, sinks, nil, opts)
	startRouter(t, rt)

	checkForT(t, 10*time.Second, func() error { // the request's first POST, under way
		if len(sink.requests()) == 0 {
			return fmt.Errorf("no POST yet")
		}
		return nil
	})
	f.end(t, h, time.Now().UTC()) // the user cancels (user_cancel)
	waitHandled(t, rt, 1)         // the request is given up
	rows, err := f.db.PendingOutbox(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if strings.HasPrefix(r.Subject, "baton.ticket.") && strings.HasSuffix(r.Subject, "."+TicketCreated) {
			tk, _, _ := f.db.TicketByID(ctx, string(r.Payload))
			t.Errorf("ticket %s (reason %s, detail %q) of handoff %s, which the user cancelled, is announced to the sinks (%s): "+
				"agents are told to call back a user who cancelled", tk.ID, tk.Reason, tk.Detail, tk.HandoffID, r.Subject)
		}
	}
	if got := ticketsOf(t, f, h.ID); len(got) != 1 || got[0] != ticketRouterPoison {
		t.Errorf("tickets of the handoff: %v, want its router_poison ticket (read in the admin API)", got)
	}
}
