package main

import (
	"testing"
)

// TestTypedYesKeepsEscalationReason: a menu escalation (VIP 전용 상담)
// confirmed by typing 네 instead of tapping the quick reply records, and
// sends to the dealer, the reason "menu", not the default "keyword".
func TestTypedYesKeepsEscalationReason(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: mondayMorning}
	m := startBaton(t, exampleConfig, t.TempDir(), clock)
	s := newSession(t, m, clock, "u-typed-yes")
	s.welcome()
	s.tap("회원/계정")
	s.tap("VIP 전용 상담")
	s.say("네")
	s.tap("건너뛰기")
	id, _, _, _ := s.handoff()
	var reason string
	if err := m.DB.ReadDB().QueryRow(`SELECT reason FROM handoffs WHERE id = ?`, id).Scan(&reason); err != nil {
		t.Fatal(err)
	}
	if reason != "menu" {
		t.Errorf("handoff reason after a menu escalation confirmed by typing 네: got %q, want %q", reason, "menu")
	}
}
