package fsm

import (
	"testing"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/faq"
)

// TestShortKeywordAsWord checks the example's escalation keywords, which
// hold the bare "사람", on requests for a person (they escalate) and on
// shop questions where "사람" is part of another word or a noun phrase
// (they stay with the bot). The test config's matcher answers none of
// them, so a keyword match would escalate.
func TestShortKeywordAsWord(t *testing.T) {
	example, err := configs.Load("../configs/example.yaml")
	if err != nil {
		t.Fatalf("load example: %v", err)
	}
	cfg := testConfig()
	cfg.Escalation.Keywords = example.Escalation.Keywords
	e := newEngine(t, cfg, Options{})
	for _, tc := range []struct {
		say  string
		want bool
	}{
		{"사람", true},
		{"사람이요", true},
		{"사람 불러줘", true},
		{"사람이랑 얘기할래요", true},
		{"그냥 사람 좀", true},
		{"사람한테 물어볼래요", true},
		{"받는사람 변경", false},
		{"받는 사람 변경", false},
		{"사람마다 사이즈가 달라요", false},
		{"보내는 사람 이름 바꾸고 싶어요", false},
		{"사람들이 많이 사나요", false},
		{"사람이 많아요", false},
		{"챗봇 말고 사람", true},
		{"봇말고 사람이랑 얘기할래요", true},
		{"AI 상담 말고 사람이요", true},
		{"상담 말고 사람이요", true},
		{"봇 말고 사람이요", true},
		{"자동응답 말고 사람", true},
		{"상담말고 사람", true},
		{"봇말고사람이요", true},
		{"로봇말고사람", true},
		{"아 진짜 챗봇 말고 사람", true},
		{"이런 자동 답변 말고 사람이요", true},
		{"아니요 상담 말고 사람이요", true},
		{"받는사람말고 보내는사람 바꿀래요", false},
		{"보내는 사람 말고 받는 사람 바꿀래요", false},
		{"사람말고사이즈 문의요", false},
		{"말고사람", false},
		// a long keyword in what 말고 turns down asks for nobody
		// (keyword_instead.go); after it, it still does
		{"상담원 말고 그냥 챗봇으로 알려주세요", false},
		{"사람 연결하지 말고 그냥 알려줘", false},
		{"상담원 연결 말고 여기서 답해주세요", false},
		{"직원 연결 말고 그냥 알려줘", false},
		{"상담사말고 챗봇한테 물어볼게요", false},
		{"챗봇 말고 상담원 연결해 주세요", true},
		{"전화 말고 1:1 상담이요", true},
		{"봇말고상담원이요", true},
		{"ＡＩ 말고 상담원", true},
		{"사람이 필요해요", true},
		{"사람이 필요합니다", true},
		{"사람 말고 챗봇이요", false},
		{"사람말고 다른 방법 없어요", false},
		{"사람이 필요한 만큼 샀어요", false},
		{"다른 사람한테 선물하려면 어떻게 해요", false},
		{"받는 사람과 보내는 사람이 달라요", false},
		{"실제 사람이랑 얘기하고 싶어요", true},
		{"사람과 상담할래요", true},
	} {
		t.Run(tc.say, func(t *testing.T) {
			o := e.Step(welcomedBot(), text(tc.say))
			got := o.Open != nil && o.Open.Reason == ReasonKeyword
			if got != tc.want {
				t.Errorf("%q: got keyword escalation %v, want %v (record %+v)", tc.say, got, tc.want, o.Record)
			}
		})
	}
}

// TestIsShortKeyword checks which folded keywords match as a word.
func TestIsShortKeyword(t *testing.T) {
	for _, tc := range []struct {
		k    string
		want bool
	}{
		{"사람", true},
		{"콜", true},
		{"상담원", false},
		{"사람이랑", false},
		{"ok", false},
		{"1:1", false},
		{"", false},
	} {
		if got := isShortKeyword(tc.k); got != tc.want {
			t.Errorf("isShortKeyword(%q): got %v, want %v", tc.k, got, tc.want)
		}
	}
}

// TestBareShortKeywordLetsFAQAnswer checks that a bare short keyword
// followed by other words ("사람 이름 변경": a noun phrase as often as a
// request) lets the FAQ answer first, with the agent quick reply on top,
// and still escalates when the FAQ has no answer; "사람", "사람이요" and
// "사람 좀" escalate before the FAQ is asked.
func TestBareShortKeywordLetsFAQAnswer(t *testing.T) {
	cfg := testConfig()
	cfg.Escalation.Keywords = []string{"사람"}
	answer := faq.Decision{Kind: faq.Answer, ID: "ship-track", Score: 0.9}
	m := scripted{decisions: map[string]faq.Decision{
		"사람 이름 변경": answer, "사람 두 명 예약": answer, "사람": answer, "사람이요": answer, "사람 좀": answer}}
	e, err := New(cfg, m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		say      string
		escalate bool
	}{
		{"사람 이름 변경", false},
		{"사람 두 명 예약", false},
		{"사람 불러줘", true}, // no FAQ answer
		{"사람", true},
		{"사람이요", true},
		{"사람 좀", true},
	} {
		t.Run(tc.say, func(t *testing.T) {
			o := e.Step(welcomedBot(), text(tc.say))
			if got := o.Open != nil && o.Open.Reason == ReasonKeyword; got != tc.escalate {
				t.Fatalf("%q: got keyword escalation %v, want %v (record %+v)", tc.say, got, tc.escalate, o.Record)
			}
			if tc.escalate {
				return
			}
			if o.Record.Kind != "faq" {
				t.Errorf("%q: got record %+v, want the FAQ answer", tc.say, o.Record)
			}
			if qrs := o.Reply.QuickReplies; len(qrs) == 0 || qrs[0].Tap == nil || qrs[0].Tap.O != optAgent {
				t.Errorf("%q: got quick replies %+v, want the agent one first", tc.say, qrs)
			}
		})
	}
}
