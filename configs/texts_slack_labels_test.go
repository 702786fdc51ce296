package configs

import (
	"strings"
	"testing"
)

// TestSlackLabelTexts: the Slack message labels (texts.slack_*) default
// to Korean, take the bot master's text, and each blank one is an error.
func TestSlackLabelTexts(t *testing.T) {
	cfg, err := Parse("texts.yaml", []byte(withTexts(t, "slack_queue: queue", "slack_accept_link: take it")))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if got, want := cfg.Texts.SlackQueue, "queue"; got != want {
		t.Errorf("got slack_queue %q, want %q", got, want)
	}
	if got, want := cfg.Texts.SlackAcceptLink, "take it"; got != want {
		t.Errorf("got slack_accept_link %q, want %q", got, want)
	}
	if got, want := cfg.Texts.SlackHandoffCode, "상담번호"; got != want {
		t.Errorf("got slack_handoff_code %q, want the default %q", got, want)
	}
	for _, key := range []string{"slack_handoff", "slack_queue", "slack_handoff_code", "slack_ticket_code",
		"slack_ticket_id", "slack_reason", "slack_test", "slack_accept", "slack_accept_link", "slack_end", "slack_end_link",
		"slack_has_contact"} {
		errs := parseErrors(t, "texts.yaml", withTexts(t, key+`: " "`))
		if want := "texts." + key + " is blank"; len(errs) != 1 || !strings.Contains(errs[0].Msg, want) {
			t.Errorf("%s blank: got %v, want one error with %q", key, errs, want)
		}
	}
}
