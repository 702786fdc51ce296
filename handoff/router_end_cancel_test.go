package handoff

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/store"
)

// TestEndedDealerHandoffIsCancelledAtItsDealer: Baton's side ending a
// handoff its 상담톡 dealer holds (an admin's end, an agent's end link, the
// idle timer) sends the dealer the cancel (dealer contract §2.2), with the
// end reason, once however often the ended event comes; the dealer's own
// end, and the end of a handoff the router failed over from the dealer,
// send none.
func TestEndedDealerHandoffIsCancelledAtItsDealer(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, reason string
		failedOver   bool
		want         int
	}{
		{name: "admin end", reason: AdminReason, want: 1},
		{name: "end link", reason: LinkReason, want: 1},
		{name: "idle", reason: ReasonIdle, want: 1},
		{name: "the dealer's session.ended", reason: "ended:agent"},
		{name: "the dealer's session.ended, no end_type", reason: "ended"},
		{name: "the dealer's session.ended by the user", reason: "ended:user"},
		{name: "admin end of a failed-over handoff", reason: AdminReason, failedOver: true},
		{name: "ticket closed (failed over)", reason: ReasonTicketClosed, failedOver: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newRouterFixture(t)
			var mu sync.Mutex
			var reasons []string
			dealer := &hookDealer{
				hook: func(context.Context, store.Handoff) error { return nil },
				cancelHook: func(_ context.Context, h store.Handoff) error {
					mu.Lock()
					reasons = append(reasons, h.EndReason)
					mu.Unlock()
					return nil
				},
			}
			hook, slack := newSinkRecorder(t), newSinkRecorder(t)
			rt := startRouting(t, f, hook, slack, RouterOptions{
				Dealers: map[string]DealerTarget{"acme": dealer}, RetryDelay: 20 * time.Millisecond,
			})
			at := time.Now().UTC()
			h := f.escalate(t, "u-end-"+tc.reason, "dealer:acme", at)
			waitHandled(t, rt, 1)
			if n := dealer.calls.Load(); n != 1 {
				t.Fatalf("dealer requests: %d, want 1", n)
			}
			if tc.failedOver {
				if err := f.db.MarkDelivered(context.Background(), h.ID, "dealer:acme:failed", at); err != nil {
					t.Fatal(err)
				}
			}
			if err := f.endAs(h, tc.reason, at.Add(time.Second)); err != nil {
				t.Fatal(err)
			}
			republish(t, f, SubjectEvent(h.ID, EventEnded), h.ID)
			waitHandled(t, rt, 2)
			republish(t, f, SubjectEvent(h.ID, EventEnded), h.ID) // a redelivery
			waitHandled(t, rt, 3)
			mu.Lock()
			defer mu.Unlock()
			if len(reasons) != tc.want {
				t.Fatalf("dealer cancels after an end by %q (failed over %v): %v, want %d", tc.reason, tc.failedOver, reasons, tc.want)
			}
			if tc.want == 1 && reasons[0] != tc.reason {
				t.Errorf("the cancel's end reason: got %q, want %q", reasons[0], tc.reason)
			}
		})
	}
}
