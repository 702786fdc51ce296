//go:build audit

package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testutil"
)

// TestAuditDealerOutageOutlastingWaitTimeout demonstrates an audit finding
// (BUG): DESIGN §6 promises that a dealer's final failure falls back to the
// notify sinks plus a dealer_failed ticket, "never silence", and §9 "never
// lose an acknowledged handoff". A transient failure (5xx, connection
// refused) only becomes final after MaxDeliver router deliveries (about 34
// min of backoff), but handoff.wait_timeout.dealer is 10m: the wait timer
// closes the handoff first, the router's next delivery finds it ended and
// sends nothing. No agent is told, no ticket is opened; the user only gets
// the Event API apology (friends only, and only with a REST key).
//
// The "final 4xx" case is the control: the same assertion passes when the
// dealer fails finally before the wait timer fires.
func TestAuditDealerOutageOutlastingWaitTimeout(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
	}{
		{"final 4xx (control)", http.StatusBadRequest},
		{"transient 5xx past wait_timeout (bug)", http.StatusServiceUnavailable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int32
			dealer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				calls.Add(1)
				w.WriteHeader(tc.status)
			}))
			t.Cleanup(dealer.Close)
			t.Setenv("BATON_DEALER_URL", dealer.URL+"/baton")
			t.Setenv("BATON_DEALER_SECRET", e2eDealerSecret)
			hook, slack := newSinkRecorder(t), newSinkRecorder(t)
			setNotifyEnv(t, hook, slack)
			clock := &testClock{t: mondayMorning}
			m := startBaton(t, exampleConfig, t.TempDir(), clock)
			p := *m.TimerConfig.Policy()
			p.DealerWait = 2 * time.Second // stands for the 10m default against ~34 min of router backoff
			m.TimerConfig.Set(&p)

			s := newSession(t, m, clock, "u-audit-outage")
			s.welcome()
			toDealerWaiting(s)
			id, _, _, _ := s.handoff()

			testutil.CheckFor(t, 20*time.Second, 50*time.Millisecond, func() error {
				var n int
				if err := m.DB.ReadDB().QueryRowContext(context.Background(),
					`SELECT COUNT(*) FROM tickets WHERE handoff_id = ?`, id).Scan(&n); err != nil {
					return err
				}
				if n == 0 {
					_, _, reason, ended := s.handoff()
					return fmt.Errorf("handoff %s (ended %v, reason %q, state %s): dealer called %d times, hook got %d requests, no ticket: nobody was told",
						id, ended, reason, s.conv().State, calls.Load(), len(hook.requests()))
				}
				return nil
			})
			if c := s.conv(); c.State != fsm.StateWaiting && c.State != fsm.StateBot {
				t.Errorf("state %s, want waiting or bot", c.State)
			}
		})
	}
}
