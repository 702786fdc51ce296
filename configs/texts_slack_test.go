package configs

import (
	"strings"
	"testing"
)

// TestSlackTicketTexts: the Slack ticket prefixes default to Korean, take
// the bot master's text, and a blank one is an error.
func TestSlackTicketTexts(t *testing.T) {
	cfg, err := Parse("texts.yaml", []byte(withTexts(t, `slack_ticket_message: "[새 문의]"`)))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if got, want := cfg.Texts.SlackTicketMessage, "[새 문의]"; got != want {
		t.Errorf("got slack_ticket_message %q, want %q", got, want)
	}
	if got, want := cfg.Texts.SlackTicketDealerFailed, "[상담톡 연결 실패]"; got != want {
		t.Errorf("got slack_ticket_dealer_failed %q, want the default %q", got, want)
	}
	errs := parseErrors(t, "texts.yaml", withTexts(t, `slack_ticket_no_sink: "  "`))
	if want := "texts.slack_ticket_no_sink is blank"; len(errs) != 1 || !strings.Contains(errs[0].Msg, want) {
		t.Errorf("got %v, want one error with %q", errs, want)
	}
}
