package configs

import (
	"strings"
	"testing"
)

// TestUserTextPlaceholdersChecked: a user text missing its required
// placeholder or carrying one it does not fill is refused, naming the key or
// the placeholder, so users never get a message without its content or with
// literal braces.
func TestUserTextPlaceholdersChecked(t *testing.T) {
	for _, tc := range []struct {
		name, line, key string
	}{
		{"ticket reply without answer", `event_ticket_reply: "남겨 주신 문의에 답변드려요."`, "texts.event_ticket_reply"},
		{"misspelt next", `after_hours: "지금은 상담 시간이 아니에요. 다음 상담 시간은 {nxt}입니다."`, "texts.after_hours"},
		{"unknown retention placeholder", `privacy_notice: "문의는 {retention.tickets}간, 대화 내용은 {retention.turns}간, 접속 기록은 {retention.access_log}간 보관됩니다."`, "{retention.access_log}"},
		{"placeholder in a text that fills none", `cancelled: "상담 {code} 요청을 취소했어요."`, "texts.cancelled"},
		{"another text's placeholder", `eta: "약 {eta}"`, "texts.eta"},
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

// TestUserTextPlaceholdersAllowed: every placeholder a text fills passes,
// and the error points at the text's line and column.
func TestUserTextPlaceholdersAllowed(t *testing.T) {
	src := withTexts(t,
		`waiting_status: "대기 {position}번, 예상 {eta} ({code})"`,
		`after_hours: "다음 상담 시간은 {next}입니다."`,
		`eta: "약 {minutes}분"`,
		`event_ticket_reply: "답변: {answer}"`,
		`privacy_notice: "문의 {retention.tickets}, 연락처 {retention.contacts}, 대화 {retention.turns} 보관"`)
	if _, err := Parse("texts.yaml", []byte(src)); err != nil {
		t.Fatalf("texts using only their own placeholders: got %v, want no error", err)
	}
	_, err := Parse("texts.yaml", []byte(withTexts(t, `after_hours: "다음은 {nxt}"`)))
	if err == nil || !strings.Contains(err.Error(), "texts.yaml:") || !strings.Contains(err.Error(), "{nxt}") {
		t.Errorf("after_hours with {nxt}: got %v, want a texts.yaml:line:col error naming {nxt}", err)
	}
}
