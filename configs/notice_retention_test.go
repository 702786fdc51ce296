package configs

import (
	"strings"
	"testing"
)

// TestPrivacyNoticeStatesEveryTextRetention: the notice must state how long
// every kind of user text is kept, not only conversations: left messages
// (retention.tickets, 365d by default) always, and contacts when the config
// asks for a number or has intake fields.
func TestPrivacyNoticeStatesEveryTextRetention(t *testing.T) {
	const askContact = "tickets: {ask_contact: true}\n"
	tests := []struct {
		name  string
		extra string // appended to the minimal config
		want  string // "" = valid; else the start of the only error, after "c.yaml:"
	}{
		{"default notice", "", ""},
		{"default notice asking contacts", askContact, ""},
		{"turns only", "texts:\n  privacy_notice: 대화 내용은 90일간 보관됩니다.\n",
			"28:19: texts.privacy_notice does not say how long left messages (tickets) are kept: retention.tickets is 365d (365일); write {retention.tickets} or the period"},
		{"turns placeholder only", "texts:\n  privacy_notice: 대화 내용은 {retention.turns}간 보관됩니다.\n",
			"28:19: texts.privacy_notice does not say how long left messages (tickets) are kept"},
		{"tickets as 1년", "texts:\n  privacy_notice: 대화는 90일, 문의는 1년 보관됩니다.\n", ""},
		{"tickets placeholder", "texts:\n  privacy_notice: 대화는 {retention.turns}, 문의는 {retention.tickets} 보관됩니다.\n", ""},
		{"one period for both", "texts:\n  privacy_notice: 대화와 문의는 90일 보관됩니다.\nretention: {tickets: 90d}\n", ""},
		{"changed tickets", "texts:\n  privacy_notice: 대화는 90일, 문의는 1년 보관됩니다.\nretention: {tickets: 730d}\n",
			"28:19: texts.privacy_notice does not say how long left messages (tickets) are kept: retention.tickets is 730d (730일)"},
		{"contacts not asked", "texts:\n  privacy_notice: 대화는 90일, 문의는 1년 보관됩니다.\n", ""},
		{"contacts asked, not stated", askContact + "texts:\n  privacy_notice: 대화는 90일, 문의는 1년 보관됩니다.\n",
			"29:19: texts.privacy_notice does not say how long contacts and intake answers are kept: retention.contacts is 30d (30일); write {retention.contacts} or the period"},
		{"contacts asked, stated", askContact + "texts:\n  privacy_notice: 대화는 90일, 문의는 1년, 연락처는 30일 보관됩니다.\n", ""},
		{"contacts asked, placeholder", askContact + "texts:\n  privacy_notice: 대화는 90일, 문의는 1년, 연락처는 {retention.contacts} 보관됩니다.\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := minimal(t) + tc.extra
			_, err := Parse("c.yaml", []byte(src))
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Parse: got %v, want nil", err)
				}
				return
			}
			errs := parseErrors(t, "c.yaml", src)
			if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), "c.yaml:"+tc.want) {
				t.Errorf("got %v, want one error starting c.yaml:%s", errs, tc.want)
			}
		})
	}
}

// TestIntakeFieldsNeedContactsInNotice: handoff intake answers are kept for
// retention.contacts, so a queue with intake fields needs that period in
// the notice too.
func TestIntakeFieldsNeedContactsInNotice(t *testing.T) {
	src := strings.Replace(minimal(t), "general: {target: notify, hours: office}",
		`general: {target: notify, hours: office, intake: [{name: order, prompt: "주문번호를 알려주세요."}]}`, 1) +
		"texts:\n  privacy_notice: 대화는 90일, 문의는 1년 보관됩니다.\n"
	if !strings.Contains(src, "intake:") {
		t.Fatal("minimal.yaml no longer has the queue this test rewrites")
	}
	errs := parseErrors(t, "c.yaml", src)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "retention.contacts is 30d") {
		t.Errorf("got %v, want one error asking for retention.contacts", errs)
	}
}
