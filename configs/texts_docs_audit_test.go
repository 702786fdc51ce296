//go:build audit

package configs

import (
	"strings"
	"testing"
)

// TestAuditUserTextPlaceholdersChecked shows a bug: user-facing texts with a
// placeholder that is missing or misspelt pass `baton validate`, and users
// then get a message without its content or with literal braces.
//
//   - texts.event_ticket_reply without {answer}: POST
//     /admin/tickets/{id}/answer still answers 200 "delivery": "queued"
//     (fsm.TicketReply: "with a template that does not show {answer}, any
//     answer is [whole]"), but the user gets the template alone — the agent's
//     answer never reaches them, contrary to docs/admin-api.md ("the answer
//     reaches the user through the ticket_reply event block, with
//     texts.event_ticket_reply around it").
//   - texts.after_hours with {nxt} for {next}, and texts.privacy_notice with
//     {retention.access_log}: shown to users as typed, braces included. Only
//     the link page texts are checked for unknown placeholders
//     (docs/notify-webhook.md §2), and texts.csat_score for {score}.
//
// Each case wants an error (or at least a warning) naming the key or the
// unknown placeholder.
func TestAuditUserTextPlaceholdersChecked(t *testing.T) {
	for _, tc := range []struct {
		name, line, key string
	}{
		{"ticket reply without answer", `event_ticket_reply: "남겨 주신 문의에 답변드려요."`, "texts.event_ticket_reply"},
		{"misspelt next", `after_hours: "지금은 상담 시간이 아니에요. 다음 상담 시간은 {nxt}입니다."`, "texts.after_hours"},
		{"unknown retention placeholder", `privacy_notice: "문의는 {retention.tickets}간, 대화 내용은 {retention.turns}간, 접속 기록은 {retention.access_log}간 보관됩니다."`, "{retention.access_log}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := withTexts(t, tc.line)
			cfg, err := Parse("texts.yaml", []byte(src))
			if err != nil {
				if !strings.Contains(err.Error(), tc.key) {
					t.Errorf("got error %v, want one naming %s", err, tc.key)
				}
				return
			}
			for _, w := range cfg.Warnings {
				if strings.Contains(w.Msg, tc.key) {
					return
				}
			}
			t.Errorf("%s: got no error and warnings %v, want an error or warning naming %s", tc.line, cfg.Warnings, tc.key)
		})
	}
}

// TestAuditSlackSinkOverHTTPWarns shows a gap: a webhook sink whose url is
// not https gets the warning "the accept/end links it carries travel in clear
// text" (configs/validate.go), but a slack sink with an http url passes
// without one, although its text carries the same signed accept/end links
// (docs/notify-webhook.md §3). A link is a bearer secret that accepts or
// ends a handoff.
func TestAuditSlackSinkOverHTTPWarns(t *testing.T) {
	src := minimal(t) + "notify:\n  - {kind: slack, url: \"http://hooks.example.com/services/x\"}\n"
	cfg, err := Parse("slack.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	for _, w := range cfg.Warnings {
		if strings.Contains(w.Msg, "https") {
			return
		}
	}
	t.Errorf("warnings for a slack sink over http: got %v, want one saying its url is not https", cfg.Warnings)
}
