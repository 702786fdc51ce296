package main

import (
	"testing"

	"github.com/baton-chat/baton/fsm"
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

	wantDealerOrder(t, dealer, id, "A-1001")
}
