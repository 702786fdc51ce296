package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testutil"
)

// eraseDealerCancelBody is the body of a dealer cancel (dealer-contract §2.2).
type eraseDealerCancelBody struct {
	Version int    `json:"version"`
	ID      string `json:"id"`
	Code    string `json:"code"`
	Reason  string `json:"reason"`
	At      string `json:"at"`
}

// eraseDealerStart starts Baton with its dealer at a recorder and puts a
// user in the dealer queue, once the dealer has the request; it returns the
// session, the handoff id and code.
func eraseDealerStart(t *testing.T, user string) (*Main, *session, *sinkRecorder, string, string) {
	t.Helper()
	dealer := newSinkRecorder(t)
	env := testEnv{
		"BATON_ADMIN_TOKEN":   e2eAdminToken,
		"BATON_DEALER_URL":    dealer.srv.URL + "/baton",
		"BATON_DEALER_SECRET": e2eDealerSecret,
	}
	clock := &testClock{t: mondayMorning}
	m := startBatonLogging(t, exampleConfig, t.TempDir(), clock, slog.New(slog.DiscardHandler), fastRelaySweep, env.configure)
	s := newSession(t, m, clock, user)
	s.welcome()
	toDealerWaiting(s)
	id, _, _, _ := s.handoff()
	var code string
	if err := m.DB.ReadDB().QueryRow(`SELECT code FROM handoffs WHERE id = ?`, id).Scan(&code); err != nil {
		t.Fatal(err)
	}
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		if n := len(dealerRequests(t, dealer, "/baton/handoffs")); n != 1 {
			return fmt.Errorf("dealer got %d handoff requests", n)
		}
		return nil
	})
	return m, s, dealer, id, code
}

// eraseDealerWantCancel erases s's user and waits for the dealer's one
// cancel of handoff id, which it checks against code and reason; the owed
// cancel is forgotten once sent.
func eraseDealerWantCancel(t *testing.T, m *Main, s *session, dealer *sinkRecorder, id, code, reason string) {
	t.Helper()
	if status, body := adminCall(t, m, http.MethodDelete, "/admin/users/"+s.user); status != http.StatusOK {
		t.Fatalf("erase: got %d %v, want 200", status, body)
	}
	testutil.CheckFor(t, 5*time.Second, 20*time.Millisecond, func() error {
		if n := len(dealerRequests(t, dealer, "/baton/handoffs/"+id+"/cancel")); n != 1 {
			return fmt.Errorf("dealer got %d cancels for the erased user's handoff %s, want 1", n, id)
		}
		return nil
	})
	got := dealerRequests(t, dealer, "/baton/handoffs/"+id+"/cancel")[0]
	var body eraseDealerCancelBody
	if err := json.Unmarshal(got.Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.Version != 1 || body.ID != id || body.Code != code || body.Reason != reason || body.At == "" {
		t.Errorf("cancel body: got %s, want version 1, id %s, code %s, reason %s and a time", got.Body, id, code, reason)
	}
	if key := got.Header.Get("Idempotency-Key"); key != id+":cancel" {
		t.Errorf("cancel Idempotency-Key: got %q, want %q", key, id+":cancel")
	}
	testutil.CheckFor(t, 5*time.Second, 20*time.Millisecond, func() error {
		var n int
		if err := m.DB.ReadDB().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM erasure_cancels`).Scan(&n); err != nil {
			return err
		}
		if n != 0 {
			return fmt.Errorf("%d owed cancels left after the dealer took the cancel", n)
		}
		return nil
	})
	var n int
	if err := m.DB.ReadDB().QueryRow(`SELECT COUNT(*) FROM handoffs WHERE id = ?`, id).Scan(&n); err != nil || n != 0 {
		t.Errorf("handoff rows after the erasure: got %d (err %v), want 0", n, err)
	}
}

// TestEraseWaitingUserCancelsDealer: erasing a user (DELETE
// /admin/users/{key}) who waits in a dealer queue sends the dealer its
// cancel (dealer-contract §2.2, reason user_erased) although the erasure
// deletes the handoff's rows and purges its stream events.
func TestEraseWaitingUserCancelsDealer(t *testing.T) {
	t.Parallel()
	m, s, dealer, id, code := eraseDealerStart(t, "u-erase-waiting")
	eraseDealerWantCancel(t, m, s, dealer, id, code, "user_erased")
}

// TestEraseInSessionUserCancelsDealer: erasing a user whose dealer session
// is running (session.started applied) sends the dealer the cancel too, so
// it ends the session and drops what it holds.
func TestEraseInSessionUserCancelsDealer(t *testing.T) {
	t.Parallel()
	m, s, dealer, id, code := eraseDealerStart(t, "u-erase-in-session")
	started := map[string]any{"version": 1, "id": "ev-erase-start", "type": "session.started", "handoff_id": id,
		"at": time.Now().UTC().Format(time.RFC3339), "agent": map[string]any{"id": "a1", "name": "김상담"}}
	if status := dealerEvent(t, m, e2eDealerSecret, started); status != http.StatusOK {
		t.Fatalf("session.started: got %d, want 200", status)
	}
	s.wantState(fsm.StateHuman)
	eraseDealerWantCancel(t, m, s, dealer, id, code, "user_erased")
}
