package fsm

import "testing"

// TestTypedYesKeepsPendingReason: the confirm question keeps the reason of
// the escalation it asks about, so typing 네 (not tapping the quick reply)
// opens the handoff with that reason; a conversation stored without it
// (before the field existed) falls back to keyword; declining forgets it.
func TestTypedYesKeepsPendingReason(t *testing.T) {
	cfg := testConfig()
	cfg.Escalation.Confirm = true
	e := newEngine(t, cfg, Options{})

	c := welcomedBot()
	for _, u := range []string{"아무 말이나 해 봐요", "전혀 다른 이야기예요"} {
		c = e.Step(c, text(u)).Conversation
	}
	if got, want := c.State, StateConfirm; got != want {
		t.Fatalf("after %d FAQ misses: got state %s, want %s", cfg.Escalation.FAQMisses, got, want)
	}
	if got, want := c.Intake, (Intake{Reason: ReasonFAQMisses}); got != want {
		t.Errorf("confirm question: got intake %+v, want %+v", got, want)
	}

	tests := []struct {
		name       string
		conv       Conversation
		in         string
		wantReason string // of the handoff opened; "" = none
	}{
		{"typed yes keeps the reason", c, "네", ReasonFAQMisses},
		{"stored without a reason", Conversation{UserKey: "u1", State: StateConfirm, Queue: "general",
			WelcomedAt: c.WelcomedAt, LastTurnAt: c.LastTurnAt, ConfigVersion: c.ConfigVersion}, "네", ReasonKeyword},
		{"declined", c, "아니요", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := e.Step(tt.conv, text(tt.in))
			got := ""
			if o.Open != nil {
				got = o.Open.Reason
			}
			if got != tt.wantReason {
				t.Errorf("handoff reason: got %q, want %q", got, tt.wantReason)
			}
			if o.Conversation.Intake != (Intake{}) {
				t.Errorf("after the answer: got intake %+v, want none", o.Conversation.Intake)
			}
		})
	}
}
