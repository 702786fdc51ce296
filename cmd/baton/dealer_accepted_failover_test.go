package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testutil"
)

// TestDealerSessionStartedDuringFinalFailureKeepsItsEnd: a dealer whose
// gateway answers 503 on the router's final attempt although its backend
// started the session (its session.started is applied: the user is in
// human with the dealer) keeps the handoff. The router writes the
// "dealer:<name>:failed" mark and the dealer_failed ticket only while the
// handoff is unaccepted, so the dealer's later session.ended is applied
// and the user goes back to the bot.
//
// The dealer itself moves the router's clock past dealer_failover_after,
// after starting the session and before answering: the attempt that starts
// the session is then the final one, whichever router delivery makes it.
// Moving the clock from the test once the first_failure mark showed raced
// the delivery that wrote the mark: when the router read its clock after
// the test had moved it, that failure (the dealer still down, no session)
// was final and failed the handoff over, and no attempt came to start the
// session.
func TestDealerSessionStartedDuringFinalFailureKeepsItsEnd(t *testing.T) {
	t.Parallel()
	var (
		phase     atomic.Int32 // 0: down; 1: start the session, move the clock, still answer 503; 2: down
		mp        atomic.Pointer[Main]
		handoffID atomic.Value
		started   atomic.Value
		after     atomic.Int64 // dealer_failover_after, set before phase 1
	)
	clock := &testClock{t: mondayMorning}
	dealer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/handoffs") && phase.CompareAndSwap(1, 2) {
			ev := map[string]any{"version": 1, "id": "ev-start", "type": "session.started",
				"handoff_id": handoffID.Load(), "at": time.Now().UTC().Format(time.RFC3339)}
			started.Store(postAcceptedFailoverEvent(mp.Load(), ev))
			clock.Advance(time.Duration(after.Load()))
		}
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	t.Cleanup(dealer.Close)
	env := testEnv{}
	env["BATON_DEALER_URL"] = dealer.URL + "/baton"
	env["BATON_DEALER_SECRET"] = e2eDealerSecret
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	env.notify(hook, slack)
	m := startBatonLogging(t, exampleConfig, t.TempDir(), clock, slog.New(slog.NewTextHandler(io.Discard, nil)),
		func(m *Main) { m.RouterRetryDelay = 20 * time.Millisecond }, env.configure)
	mp.Store(m)
	after.Store(int64(m.CurrentConfig().Handoff.DealerFailoverAfter.D()))

	s := newSession(t, m, clock, "u-accepted-failover")
	s.welcome()
	toDealerWaiting(s)
	id, _, _, _ := s.handoff()
	handoffID.Store(id)
	testutil.CheckFor(t, 20*time.Second, 20*time.Millisecond, func() error {
		d, err := m.DB.Deliveries(context.Background(), id)
		if err != nil {
			return err
		}
		if _, ok := d["dealer:happytalk:first_failure"]; !ok {
			return fmt.Errorf("deliveries %v: no first failure yet", d)
		}
		return nil
	})
	base := m.Router.Handled()
	phase.Store(1)
	// The final attempt: the dealer starts the session, moves the clock and
	// answers 503; the router, finding the handoff accepted, acks the
	// request without failing it over.
	testutil.CheckFor(t, 20*time.Second, 20*time.Millisecond, func() error {
		if started.Load() == nil || m.Router.Handled() == base {
			return fmt.Errorf("handoff %s: final attempt not finished yet", id)
		}
		return nil
	})
	if got, _ := started.Load().(string); got != handoff.EventApplied {
		t.Fatalf("session.started sent during the final attempt: got %q, want %q", got, handoff.EventApplied)
	}
	failed, err := m.DB.DealerFailed(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if failed {
		t.Errorf("handoff %s accepted by the dealer during the final attempt: got it failed over, want not", id)
	}
	var tickets int
	if err := m.DB.ReadDB().QueryRowContext(context.Background(),
		`SELECT COUNT(*) FROM tickets WHERE handoff_id = ? AND reason = 'dealer_failed'`, id).Scan(&tickets); err != nil {
		t.Fatal(err)
	}
	if tickets != 0 {
		t.Errorf("handoff %s: got %d dealer_failed tickets, want 0", id, tickets)
	}
	s.wantState(fsm.StateHuman)

	ended := map[string]any{"version": 1, "id": "ev-end", "type": "session.ended", "handoff_id": id,
		"end_type": "agent", "at": time.Now().UTC().Format(time.RFC3339)}
	if code, status := postDealerEvent(t, m, e2eDealerSecret, ended); code != http.StatusOK || status != handoff.EventApplied {
		t.Errorf("session.ended of the session the dealer started: got %d %q, want 200 %q", code, status, handoff.EventApplied)
	}
	s.wantState(fsm.StateBot)
}

// postAcceptedFailoverEvent posts ev to the happytalk events route from a dealer
// handler (no t.Fatal there) and returns the answer's status or the error.
func postAcceptedFailoverEvent(m *Main, ev map[string]any) string {
	body, err := json.Marshal(ev)
	if err != nil {
		return err.Error()
	}
	req, err := http.NewRequest(http.MethodPost, "http://"+m.PublicAddr()+"/dealers/happytalk/events", bytes.NewReader(body))
	if err != nil {
		return err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(handoff.SignatureHeader, handoff.Sign([]byte(e2eDealerSecret), time.Now(), body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	var answer struct {
		Status string `json:"status"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
		return err.Error()
	}
	return answer.Status
}
