package fsm

import (
	"testing"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/faq"
)

// TestShortKeywordRequestVerb checks a short keyword followed by other
// words: when a request verb comes right after it ("사람 불러줘", "사람 좀
// 연결해 주세요") the keyword is what is asked for and escalates before the
// FAQ is asked; when other content words come first ("사람 이름 바꿔주세요")
// the FAQ answers first, with the agent quick reply on top. The matcher
// answers every sentence, so only the keyword rule decides; the table runs
// with the bare "사람" alone and with the example's keywords.
func TestShortKeywordRequestVerb(t *testing.T) {
	example, err := configs.Load("../configs/example.yaml")
	if err != nil {
		t.Fatalf("load example: %v", err)
	}
	cases := []struct {
		say      string
		escalate bool
	}{
		{"사람 불러줘", true},
		{"사람 불러 주세요", true},
		{"사람 좀 불러줘요", true},
		{"사람 연결해 주세요", true},
		{"사람 연결", true},
		{"빨리 사람 연결해줘", true},
		{"사람 바꿔줘", true},
		{"사람 바꿔 주세요", true},
		{"그냥 사람", true},
		{"사람이랑 얘기할래요", true},
		{"사람 얘기하고 싶어요", true},
		{"사람 대화할래요", true},
		{"사람 상담 원해요", true},
		{"사람 필요해요", true},
		{"사람 부탁해요", true},
		{"챗봇 말고 사람 불러줘", true},
		{"사람 이름 바꿔주세요", false},
		{"사람 이름 변경해 주세요", false},
		{"사람 이름 변경", false},
		{"사람 이름 수정해 주세요", false},
		{"사람 주소 바꿔 주세요", false},
		{"사람 두 명 예약해 주세요", false},
		{"사람 수 변경해 주세요", false},
		{"사람 정보 바꾸고 싶어요", false},
		{"사람 전화번호 변경해줘", false},
		{"사람 인원 추가해 주세요", false},
		{"사람 이름 바꿀래요", false},
		{"사람 명의 변경 부탁해요", false},
		{"사람 연락처 수정 부탁드려요", false},
		{"사람 이름 잘못 썼어요 고쳐 주세요", false},
	}
	answer := faq.Decision{Kind: faq.Answer, ID: "ship-track", Score: 0.9}
	decisions := make(map[string]faq.Decision, len(cases))
	for _, tc := range cases {
		decisions[tc.say] = answer
	}
	for _, kws := range []struct {
		name     string
		keywords []string
	}{
		{"bare", []string{"사람"}},
		{"example", example.Escalation.Keywords},
	} {
		cfg := testConfig()
		cfg.Escalation.Keywords = kws.keywords
		e, err := New(cfg, scripted{decisions: decisions}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range cases {
			t.Run(kws.name+"/"+tc.say, func(t *testing.T) {
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
	// Without an FAQ answer the noun phrase still escalates on the keyword.
	cfg := testConfig()
	cfg.Escalation.Keywords = []string{"사람"}
	e, err := New(cfg, scripted{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, say := range []string{"사람 이름 바꿔주세요", "사람 이름 변경해 주세요"} {
		if o := e.Step(welcomedBot(), text(say)); o.Open == nil || o.Open.Reason != ReasonKeyword {
			t.Errorf("%q without an FAQ answer: got record %+v, want a keyword escalation", say, o.Record)
		}
	}
}
