package fsm

import (
	"testing"

	"github.com/baton-chat/baton/faq"
)

// TestKeywordRuleOrder pins where each rule of keywordRules stands: the
// FAQ answers every line, so a line escalates only when a rule settles it
// as a request now, and answers with 상담원 연결 first when it asks for a
// human only if the FAQ has none. A request verb outranks a question word,
// a question mark and length ("…그냥 연결해 주세요"); a bare short keyword
// outranks a request verb that comes later ("사람 이름 바꿔주세요").
func TestKeywordRuleOrder(t *testing.T) {
	cases := []struct {
		say  string
		want keywordVerdict
	}{
		{"상담원", keywordNow},
		{"상담원 언제 연결해줘?", keywordNow}, // imperative before question
		{"상담원 운영시간이 언제인지 모르겠고 그냥 연결해 주세요", keywordNow}, // imperative before question and length
		{"상담원 몇시까지 해요?", keywordLater},                 // question
		{"상담원 있어요?", keywordLater},                     // question mark
		{"어제 상담원이 말한 배송 날짜가 지났는데요", keywordLater},      // longer than shortUtterance
		{"사람 이름 바꿔주세요", keywordLater},                  // bare noun before imperative
		{"챗봇 말고 상담원 연결해 주세요", keywordNow},              // after what 말고 turns down
		{"상담원 말고 그냥 알려주세요", noKeyword},                 // turned down
		{"받는 사람 바꿔주세요", noKeyword},                     // headed keyword after a modifier
		{"배송 조회 해주세요", noKeyword},
	}
	answer := faq.Decision{Kind: faq.Answer, ID: "ship-track", Score: 0.9}
	decisions := make(map[string]faq.Decision, len(cases))
	for _, tc := range cases {
		decisions[tc.say] = answer
	}
	cfg := testConfig()
	cfg.Escalation.Keywords = []string{"상담원", "사람", "사람 바꿔"}
	e, err := New(cfg, scripted{decisions: decisions}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.say, func(t *testing.T) {
			var r reading
			r.read(tc.say)
			if got := e.keywords.verdict(&r); got != tc.want {
				t.Errorf("verdict: got %d, want %d", got, tc.want)
			}
			o := e.Step(welcomedBot(), text(tc.say))
			escalated := o.Open != nil && o.Open.Reason == ReasonKeyword
			agentFirst := len(o.Reply.QuickReplies) > 0 && o.Reply.QuickReplies[0].Tap != nil && o.Reply.QuickReplies[0].Tap.O == optAgent
			switch {
			case tc.want == keywordNow && !escalated:
				t.Errorf("got record %+v, want a keyword escalation before the FAQ", o.Record)
			case tc.want != keywordNow && (escalated || o.Record.Kind != "faq"):
				t.Errorf("got record %+v (escalated %v), want the FAQ answer", o.Record, escalated)
			case tc.want == keywordLater && !agentFirst:
				t.Errorf("got quick replies %+v, want the agent one first", o.Reply.QuickReplies)
			}
		})
	}
}
