package fsm

import (
	"testing"

	"github.com/baton-chat/baton/configs"
)

// TestKeywordAfterModifier checks long keywords that start with a short
// word ("사람 바꿔", "사람이랑"): right after 받는/보내는/주문한… they name
// the recipient, the sender or the buyer and do not escalate; alone, or
// again later in the sentence, they still do. The test config's matcher
// answers nothing, so any keyword match escalates. It runs with the
// example's keywords and with the long keywords alone (no bare "사람", so
// only the long-keyword rule decides).
func TestKeywordAfterModifier(t *testing.T) {
	example, err := configs.Load("../configs/example.yaml")
	if err != nil {
		t.Fatalf("load example: %v", err)
	}
	cases := []struct {
		say      string
		escalate bool
	}{
		{"사람 바꿔 주세요", true},
		{"사람 바꿔주세요", true},
		{"그냥 사람 바꿔줘", true},
		{"챗봇 말고 사람 바꿔 주세요", true},
		{"사람이랑 얘기할래요", true},
		{"받는 사람 바꿔주세요", false},
		{"받는사람 바꿔 주세요", false},
		{"보내는 사람 바꿔주세요", false},
		{"주문한 사람 바꿔 주세요", false},
		{"선물 받을 사람 바꿔주세요", false},
		{"받으시는 사람 바꿔 주실 수 있나요", false},
		{"보내는 사람이랑 받는 사람 달라요", false},
		{"받는 사람 바꿔 달라니까요 사람 바꿔 주세요", true},
		{"받는 사람 말고 사람 바꿔 주세요", true},
		// A staff word still names staff after a modifier (staffWords).
		{"아까 전화 받은 직원이랑 통화하고 싶어요", true},
		{"예약 받은 직원 연결해 주세요", true},
		{"주문한 사람인데 직원 연결해 주세요", true},
		{"예약한 상담 받고 싶어요", true},
	}
	for _, kws := range []struct {
		name     string
		keywords []string
	}{
		{"example", example.Escalation.Keywords},
		{"long only", []string{"사람 바꿔", "사람이랑", "사람 연결", "직원 연결", "직원이랑", "상담 받고"}},
	} {
		cfg := testConfig()
		cfg.Escalation.Keywords = kws.keywords
		e := newEngine(t, cfg, Options{})
		for _, tc := range cases {
			t.Run(kws.name+"/"+tc.say, func(t *testing.T) {
				o := e.Step(welcomedBot(), text(tc.say))
				if got := o.Open != nil && o.Open.Reason == ReasonKeyword; got != tc.escalate {
					t.Fatalf("%q: got keyword escalation %v, want %v (record %+v)", tc.say, got, tc.escalate, o.Record)
				}
			})
		}
	}
}

// TestHeadedKeywords checks which long keywords start with a short word.
func TestHeadedKeywords(t *testing.T) {
	got := headedKeywords([]string{"사람 바꿔", "사람이랑", "직원 연결", "직원이랑", "상담원 연결", "1:1 문의", "사람", "사람들 많은"})
	for k, want := range map[string]bool{
		"사람바꿔": true, "사람이랑": true, "직원연결": false, "직원이랑": false, "상담원연결": false, "1:1문의": false,
		"사람": false, "사람들많은": false,
	} {
		if got[k] != want {
			t.Errorf("headed %q: got %v, want %v", k, got[k], want)
		}
	}
}
