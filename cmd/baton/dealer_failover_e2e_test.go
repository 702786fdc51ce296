package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testutil"
)

// TestSlowDealerDownFailsOverBeforeWaitTimeout: a dealer answering 503 is
// retried by the router until handoff.dealer_failover_after (2m in the
// example config) has passed since the first failed attempt, on the
// router's clock; the next failure is then final, long before the 10m wait
// timeout: one dealer_failed ticket, the notify sinks told once, the user
// told the request went to the agents, and no further request to the
// dealer. Once the dealer is back, the user's cancel reaches it, and its
// late session.started for the ended handoff changes nothing.
func TestSlowDealerDownFailsOverBeforeWaitTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("two router deliveries of three dealer attempts each (≈ 5 s); handoff.TestRouterDealerFailoverAfter covers the router under -short")
	}
	var down atomic.Bool
	down.Store(true)
	var requests atomic.Int32
	dealer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/handoffs") {
			requests.Add(1)
		}
		if down.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(dealer.Close)
	t.Setenv("BATON_DEALER_URL", dealer.URL+"/baton")
	t.Setenv("BATON_DEALER_SECRET", e2eDealerSecret)
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	setNotifyEnv(t, hook, slack)
	clock := &testClock{t: mondayMorning}
	m := startBatonLogging(t, exampleConfig, t.TempDir(), clock, slog.New(slog.NewTextHandler(io.Discard, nil)),
		func(m *Main) { m.RouterRetryDelay = 20 * time.Millisecond })
	after := m.CurrentConfig().Handoff.DealerFailoverAfter.D()
	if wait := m.CurrentConfig().Handoff.WaitTimeout.Dealer.D(); after <= 0 || after >= wait {
		t.Fatalf("example config: dealer_failover_after %v, want it between 0 and wait_timeout.dealer %v", after, wait)
	}

	s := newSession(t, m, clock, "u-dealer-down")
	s.welcome()
	toDealerWaiting(s)
	id, _, _, _ := s.handoff()

	// Retried (each router delivery makes up to 3 calls) with the first
	// failure recorded, but not failed over while the clock stands still.
	testutil.CheckFor(t, 20*time.Second, 20*time.Millisecond, func() error {
		d, err := m.DB.Deliveries(context.Background(), id)
		if err != nil {
			return err
		}
		if _, ok := d["dealer:happytalk:first_failure"]; !ok || requests.Load() < 6 {
			return fmt.Errorf("dealer got %d requests, deliveries %v: want two router deliveries and the first failure recorded",
				requests.Load(), d)
		}
		return nil
	})
	if got := ticketReasons(t, m, id); len(got) != 0 {
		t.Fatalf("got tickets %v before dealer_failover_after passed, want none", got)
	}
	if failed, err := m.DB.DealerFailed(context.Background(), id); err != nil || failed {
		t.Fatalf("DealerFailed before dealer_failover_after passed: got %v, %v; want false", failed, err)
	}

	clock.Advance(after)
	testutil.CheckFor(t, 20*time.Second, 20*time.Millisecond, func() error {
		if h, k := countNotices(hook, id); h != 1 || k != 0 {
			return fmt.Errorf("got %d handoff and %d dealer_failed ticket webhook requests, want 1 and 0 (dealer got %d requests)",
				h, k, requests.Load())
		}
		if got := ticketReasons(t, m, id); len(got) != 1 || got[0] != "dealer_failed" {
			return fmt.Errorf("got tickets %v, want exactly [dealer_failed]", got)
		}
		return nil
	})
	testutil.CheckFor(t, 10*time.Second, 20*time.Millisecond, func() error {
		if len(slack.requests()) == 0 {
			return fmt.Errorf("slack sink got nothing, want the handoff")
		}
		return nil
	})
	s.wantState(fsm.StateWaiting)
	if _, _, _, ended := s.handoff(); ended {
		t.Fatalf("handoff %s ended at the failover, want it waiting for the agents", id)
	}
	var code string
	if err := m.DB.ReadDB().QueryRow(`SELECT code FROM handoffs WHERE id = ?`, id).Scan(&code); err != nil {
		t.Fatal(err)
	}
	// The example's Event API is off: no answer can come back in the chat.
	want := strings.ReplaceAll(configs.DefaultTexts().WaitingDealerFailureNoReply, "{code}", code)
	testutil.CheckFor(t, 5*time.Second, 100*time.Millisecond, func() error {
		s.say("언제 연결돼요?")
		if got := s.last.text(); !strings.Contains(got, want) {
			return fmt.Errorf("got answer %q, want it to contain %q", got, want)
		}
		return nil
	})
	sent := requests.Load()

	// The dealer is back; the user gives up waiting. The cancel reaches
	// the dealer, the request is not sent again.
	down.Store(false)
	s.tap("상담 취소")
	s.wantState(fsm.StateBot)
	testutil.CheckFor(t, 10*time.Second, 20*time.Millisecond, func() error {
		d, err := m.DB.Deliveries(context.Background(), id)
		if err != nil {
			return err
		}
		if _, ok := d["dealer:happytalk:cancel"]; !ok {
			return fmt.Errorf("deliveries %v: the dealer has not got the cancel", d)
		}
		return nil
	})
	if got := requests.Load(); got != sent {
		t.Errorf("dealer got %d handoff requests after the failover, want none", got-sent)
	}

	started := map[string]any{"version": 1, "id": "ev-late-" + id, "type": "session.started", "handoff_id": id,
		"at": time.Now().UTC().Format(time.RFC3339)}
	if code := dealerEvent(t, m, e2eDealerSecret, started); code != http.StatusOK {
		t.Fatalf("late session.started: got status %d, want 200", code)
	}
	s.wantState(fsm.StateBot)
	var accepted int
	if err := m.DB.ReadDB().QueryRow(`SELECT COUNT(accepted_at) FROM handoffs WHERE user_key = ?`, s.user).Scan(&accepted); err != nil {
		t.Fatal(err)
	}
	if accepted != 0 {
		t.Errorf("after a late session.started: %d accepted handoffs, want 0", accepted)
	}
	if got := ticketReasons(t, m, id); len(got) != 1 {
		t.Errorf("got tickets %v at the end, want exactly [dealer_failed]", got)
	}
	if h, _ := countNotices(hook, id); h != 1 {
		t.Errorf("webhook got the handoff %d times, want once", h)
	}
}
