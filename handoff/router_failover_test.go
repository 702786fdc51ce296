package handoff

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
)

// TestRouterDealerFailoverAfter: against a real dealer client and a
// loopback dealer, a final 4xx fails over at once however long
// dealer_failover_after is, and a 503 is retried, its first failure
// recorded, until dealer_failover_after has passed on the router's clock;
// the next failure then falls back to the sinks with one dealer_failed
// ticket whose detail says how long the dealer has been failing.
func TestRouterDealerFailoverAfter(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		status int
		// deliveries the router makes before the clock moves past
		// dealer_failover_after (0: it never needs to).
		before int
	}{
		{"final 400 at once", http.StatusBadRequest, 0},
		{"503 until dealer_failover_after", http.StatusServiceUnavailable, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int32
			dealer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				calls.Add(1)
				w.WriteHeader(tc.status)
			}))
			t.Cleanup(dealer.Close)
			client := NewDealerClient("acme", configs.Dealer{URL: dealer.URL, Secret: "s"}, "bot", nil)
			client.Attempts, client.Backoff = 1, time.Millisecond
			var now atomic.Int64
			start := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
			now.Store(start.UnixNano())
			f := newRouterFixture(t)
			hook, slack := newSinkRecorder(t), newSinkRecorder(t)
			startRouting(t, f, hook, slack, RouterOptions{
				Dealers: map[string]DealerTarget{"acme": client}, RetryDelay: 20 * time.Millisecond,
				Now:                 func() time.Time { return time.Unix(0, now.Load()).UTC() },
				DealerFailoverAfter: func() time.Duration { return time.Hour },
			})
			h := f.escalate(t, "u-failover", "dealer:acme", start)
			if tc.before > 0 {
				checkForT(t, 20*time.Second, func() error {
					if got := calls.Load(); got < int32(tc.before) {
						return fmt.Errorf("dealer called %d times, want %d", got, tc.before)
					}
					return nil
				})
				done, err := f.db.Deliveries(context.Background(), h.ID)
				if err != nil {
					t.Fatal(err)
				}
				if at, ok := done["dealer:acme:first_failure"]; !ok || !at.Equal(start) {
					t.Errorf("got deliveries %v, want dealer:acme:first_failure at %v", done, start)
				}
				wantTickets(t, f, map[string]string{})
				now.Store(start.Add(time.Hour).UnixNano())
			}
			checkForT(t, 20*time.Second, func() error {
				failed, err := f.db.DealerFailed(context.Background(), h.ID)
				if err != nil || !failed {
					return fmt.Errorf("DealerFailed: got %v, %v; want true", failed, err)
				}
				return nil
			})
			hook.wantCount(t, 1)
			wantTickets(t, f, map[string]string{h.ID: "dealer_failed"})
			done, err := f.db.Deliveries(context.Background(), h.ID)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := done["dealer:acme:first_failure"]; ok != (tc.before > 0) {
				t.Errorf("got deliveries %v: first_failure recorded %v, want %v", done, ok, tc.before > 0)
			}
			tks, err := f.db.Tickets(context.Background(), "open")
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(tks[0].Detail, "dealer_failover_after 1h0m0s"); got != (tc.before > 0) {
				t.Errorf("got detail %q: names dealer_failover_after %v, want %v", tks[0].Detail, got, tc.before > 0)
			}
			if tc.before == 0 && calls.Load() != 1 {
				t.Errorf("dealer called %d times, want 1 (a 400 is final)", calls.Load())
			}
		})
	}
}
