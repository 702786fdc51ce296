package handoff

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/store"
)

// TestRouterTicketsAnnouncedAsOpened: the tickets the router opens itself
// (a dealer that failed, a poison message) publish baton.ticket.<id>.opened
// through the outbox, payload the ticket id, so a consumer sees them before
// any assigned/answered/closed; the reason is in the ticket. The router does
// not act on opened: the notify sinks are not told again.
func TestRouterTicketsAnnouncedAsOpened(t *testing.T) {
	t.Parallel()
	f := newRouterFixtureWith(t, store.Options{TicketEvent: TicketEventMsg})
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	bad := &fakeDealer{fail: fmt.Errorf("status 400: %w", ErrDealerFailed)}
	rt := startRouting(t, f, hook, slack, RouterOptions{Dealers: map[string]DealerTarget{"bad": bad}})
	h := f.escalate(t, "u-bad", "dealer:bad", time.Now().UTC())
	waitHandled(t, rt, 1)
	republish(t, f, SubjectRequest("general"), "not an id")
	waitHandled(t, rt, 2)

	tickets, err := f.db.Tickets(context.Background(), store.TicketStatusOpen)
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]string{} // ticket id → reason
	for _, tk := range tickets {
		reasons[tk.ID] = tk.Reason
		if tk.Reason == "dealer_failed" && tk.HandoffID != h.ID {
			t.Errorf("dealer_failed ticket names handoff %q, want %q", tk.HandoffID, h.ID)
		}
	}
	if len(reasons) != 2 {
		t.Fatalf("got tickets %v, want a dealer_failed and a router_poison one", reasons)
	}
	var opened map[string]string // ticket id → reason, from the stream
	checkForT(t, 10*time.Second, func() error {
		opened = map[string]string{}
		for _, m := range streamMsgs(t, f.js) {
			id, ok := strings.CutPrefix(m[0], "baton.ticket.")
			if !ok {
				continue
			}
			id, ok = strings.CutSuffix(id, "."+TicketOpened)
			if !ok || m[1] != id {
				return fmt.Errorf("ticket message %s payload %q: want only opened, payload the id", m[0], m[1])
			}
			opened[id] = reasons[id]
		}
		if len(opened) != len(reasons) {
			return fmt.Errorf("opened events for %v, want %v", opened, reasons)
		}
		return nil
	})
	if fmt.Sprint(opened) != fmt.Sprint(reasons) {
		t.Fatalf("opened events for %v, want %v", opened, reasons)
	}
	consumerSettled(t, f)
	if got := rt.Handled(); got != 2 {
		t.Errorf("router handled %d messages, want 2 (opened is not for it)", got)
	}
	if n := len(hook.requests()); n != 1 {
		t.Errorf("webhook got %d requests, want 1 (the dealer's fallback; no ticket notification)", n)
	}
}
