package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testutil"
)

// TestAdminEndOfDealerHandoffTellsDealer: a manager ends a 상담톡 handoff
// still waiting at its dealer (POST /admin/handoffs/{id}/end — as
// docs/admin-api.md's reload section tells operators to do with a queue's
// open handoffs). Baton closes it and puts the user back with the bot, and
// sends the dealer the cancel (dealer contract §2.2) with the end reason
// admin, once: without it the dealer keeps the user in its queue and a
// dealer agent later opens a session Baton has forgotten.
func TestAdminEndOfDealerHandoffTellsDealer(t *testing.T) {
	t.Parallel()
	dealer := newSinkRecorder(t)
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	env["BATON_DEALER_URL"] = dealer.srv.URL + "/baton"
	env["BATON_DEALER_SECRET"] = e2eDealerSecret
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)
	s := newSession(t, m, clock, "u-dealer-admin-end")
	s.welcome()
	toDealerWaiting(s)
	id, _, _, _ := s.handoff()
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		if n := len(dealerRequests(t, dealer, "/baton/handoffs")); n != 1 {
			return fmt.Errorf("dealer got %d handoff requests, want 1", n)
		}
		return nil
	})
	if code, body := adminCall(t, m, http.MethodPost, "/admin/handoffs/"+id+"/end"); code != http.StatusOK {
		t.Fatalf("end: got %d %v", code, body)
	}
	s.wantState(fsm.StateBot)
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) && len(dealerRequests(t, dealer, "/baton/handoffs/"+id+"/cancel")) == 0 {
		time.Sleep(50 * time.Millisecond)
	}
	cancels := dealerRequests(t, dealer, "/baton/handoffs/"+id+"/cancel")
	if len(cancels) == 0 {
		t.Fatalf("admin end of a handoff waiting at its dealer: the dealer got no cancel in 5 s "+
			"(requests: %d); it keeps a user Baton has put back with the bot", len(dealer.requests()))
	}
	var body struct{ ID, Reason string }
	if err := json.Unmarshal(cancels[0].Body, &body); err != nil || body.ID != id || body.Reason != "admin" {
		t.Errorf("cancel body %s (%v): want id %s, reason admin", cancels[0].Body, err, id)
	}
	if k := cancels[0].Header.Get("Idempotency-Key"); k != id+":cancel" {
		t.Errorf("cancel Idempotency-Key %q, want %s:cancel", k, id)
	}
	time.Sleep(200 * time.Millisecond) // a second cancel would be on its way
	if n := len(dealerRequests(t, dealer, "/baton/handoffs/"+id+"/cancel")); n != 1 {
		t.Errorf("dealer got %d cancels, want 1", n)
	}
}
