package fsm

import (
	"strings"
	"testing"
)

// TestPrivacyNoticeStatesEveryRetention: the default notice's placeholders
// for turns, tickets and contacts are all filled with the configured
// periods, in Korean.
func TestPrivacyNoticeStatesEveryRetention(t *testing.T) {
	cfg := testConfig()
	cfg.Retention.Turns, cfg.Retention.Tickets, cfg.Retention.Contacts = days(90), days(365), days(30)
	e := newEngine(t, cfg, Options{})
	o := e.Step(Conversation{UserKey: "new"}, welcomeIn(true))
	got := o.Reply.Messages[0].Text
	for _, want := range []string{"문의는 365일간", "연락처는 30일간", "대화 내용은 90일간 보관돼요."} {
		if !strings.Contains(got, want) {
			t.Errorf("got notice %q, want it to contain %q", got, want)
		}
	}
	if strings.Contains(got, "{") {
		t.Errorf("got notice %q, want every placeholder filled", got)
	}
}
