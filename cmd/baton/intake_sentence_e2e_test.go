package main

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testutil"
)

// TestIntakeOrderInSentence: at the example's vip order field (a pattern),
// an answer typed inside a sentence with a particle attached opens the
// handoff without asking again, and the dealer receives the order number
// alone, not the sentence.
func TestIntakeOrderInSentence(t *testing.T) {
	t.Setenv("BATON_ADMIN_TOKEN", e2eAdminToken)
	dealer := newSinkRecorder(t)
	t.Setenv("BATON_DEALER_URL", dealer.srv.URL+"/baton")
	t.Setenv("BATON_DEALER_SECRET", e2eDealerSecret)
	clock := &testClock{t: mondayMorning}
	m := startBaton(t, exampleConfig, t.TempDir(), clock)
	s := newSession(t, m, clock, "u-intake-sentence")
	s.welcome()
	toVIPIntake(s)
	s.say("주문번호는 A-1001이에요")
	s.wantState(fsm.StateWaiting)
	id, _, _, _ := s.handoff()

	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		if n := len(dealerRequests(t, dealer, "/baton/handoffs")); n != 1 {
			return fmt.Errorf("dealer got %d handoff requests", n)
		}
		return nil
	})
	var body struct {
		ID      string `json:"id"`
		Context struct {
			Intake map[string]string `json:"intake"`
		} `json:"context"`
	}
	if err := json.Unmarshal(dealerRequests(t, dealer, "/baton/handoffs")[0].Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.ID != id || len(body.Context.Intake) != 1 || body.Context.Intake["order"] != "A-1001" {
		t.Fatalf("dealer got id %q, intake %v; want %q, {order: A-1001}", body.ID, body.Context.Intake, id)
	}
}
