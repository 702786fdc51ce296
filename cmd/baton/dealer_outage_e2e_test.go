package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testutil"
)

// TestDealerOutageOutlastingWaitTimeout: DESIGN §6 promises that a
// dealer's final failure falls back to the notify sinks plus a dealer_failed
// ticket, "never silence", and §9 "never lose an acknowledged handoff". A
// transient failure (5xx, connection refused) becomes final in the router
// once handoff.dealer_failover_after has passed on its clock (which stands
// still here; TestSlowDealerDownFailsOverBeforeWaitTimeout moves it): when the
// wait timer fires first for a request the dealer never acknowledged, the
// timer opens the dealer_failed ticket, which the sinks are told about. A
// final 4xx (the router's own fallback before the wait timer) must leave
// the same single ticket.
func TestDealerOutageOutlastingWaitTimeout(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		status int
		// Agents hear once: the router's fallback sends the handoff itself
		// (accept link and all); the wait timer's announces its ticket.
		handoffNotices, ticketNotices int
	}{
		{"final 4xx", http.StatusBadRequest, 1, 0},
		{"transient 5xx past wait_timeout", http.StatusServiceUnavailable, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			dealer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				calls.Add(1)
				w.WriteHeader(tc.status)
			}))
			t.Cleanup(dealer.Close)
			env := testEnv{}
			env["BATON_DEALER_URL"] = dealer.URL + "/baton"
			env["BATON_DEALER_SECRET"] = e2eDealerSecret
			hook, slack := newSinkRecorder(t), newSinkRecorder(t)
			env.notify(hook, slack)
			clock := &testClock{t: mondayMorning}
			m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)
			p := *m.TimerConfig.Policy()
			p.DealerWait = 2 * time.Second // stands for the 10m default reached before any failover
			m.TimerConfig.Set(&p)

			s := newSession(t, m, clock, "u-dealer-outage")
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
			// The handoff ends (the wait timer also runs in the 4xx case)
			// with one dealer_failed ticket whichever path opened it, and
			// the agents were told once.
			testutil.CheckFor(t, 10*time.Second, 50*time.Millisecond, func() error {
				if _, _, _, ended := s.handoff(); !ended {
					return fmt.Errorf("handoff %s not ended yet", id)
				}
				if h, k := countNotices(hook, id); h != tc.handoffNotices || k != tc.ticketNotices {
					return fmt.Errorf("got %d handoff and %d dealer_failed ticket webhook requests, want %d and %d",
						h, k, tc.handoffNotices, tc.ticketNotices)
				}
				return nil
			})
			reasons := ticketReasons(t, m, id)
			if len(reasons) != 1 || reasons[0] != "dealer_failed" {
				t.Errorf("got tickets %v for handoff %s, want exactly [dealer_failed]", reasons, id)
			}
			var announced int
			if err := m.DB.ReadDB().QueryRow(`SELECT COUNT(*) FROM outbox o JOIN tickets k ON CAST(o.payload AS TEXT) = k.id
				WHERE k.handoff_id = ? AND o.subject LIKE 'baton.ticket.%.created'`, id).Scan(&announced); err != nil {
				t.Fatal(err)
			}
			if announced != tc.ticketNotices {
				t.Errorf("got %d ticket.created outbox messages, want %d", announced, tc.ticketNotices)
			}

			// The dealer answers late (its outage over): a session.started
			// for the ended handoff changes nothing — no second session,
			// the user stays with the bot (docs/dealer-contract.md §2.3).
			started := map[string]any{"version": 1, "id": "ev-late-" + id, "type": "session.started", "handoff_id": id,
				"at": time.Now().UTC().Format(time.RFC3339)}
			if code := dealerEvent(t, m, e2eDealerSecret, started); code != http.StatusOK {
				t.Fatalf("late session.started: got status %d, want 200", code)
			}
			if c := s.conv(); c.State != fsm.StateBot {
				t.Errorf("after a late session.started: state %s, want bot", c.State)
			}
			var handoffs, accepted int
			if err := m.DB.ReadDB().QueryRow(`SELECT COUNT(*), COUNT(accepted_at) FROM handoffs WHERE user_key = ?`,
				s.user).Scan(&handoffs, &accepted); err != nil {
				t.Fatal(err)
			}
			if handoffs != 1 || accepted != 0 {
				t.Errorf("after a late session.started: %d handoffs, %d accepted; want 1 and 0", handoffs, accepted)
			}
		})
	}
}

// countNotices counts the webhook requests r got for handoff id itself
// (handoff.requested; not the handoff.closed of its end) and for its
// dealer_failed ticket (ticket.created, with the handoff's code).
func countNotices(r *sinkRecorder, id string) (handoff, ticket int) {
	for _, req := range r.requests() {
		var b struct{ Type, Reason, ID string }
		if json.Unmarshal(req.Body, &b) != nil {
			continue
		}
		switch {
		case b.Type == "ticket.created" && b.Reason == "dealer_failed":
			ticket++
		case b.Type == "handoff.requested" && b.ID == id:
			handoff++
		}
	}
	return handoff, ticket
}

// ticketReasons returns the reasons of the tickets of handoff id, in order.
func ticketReasons(t *testing.T, m *Main, id string) []string {
	t.Helper()
	rows, err := m.DB.ReadDB().QueryContext(context.Background(),
		`SELECT reason FROM tickets WHERE handoff_id = ? ORDER BY created_at, id`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
