package fsm

import (
	"testing"

	"github.com/baton-chat/baton/configs"
)

// TestQuestionAbout checks which short keyword utterances count as
// questions about the agents (asked of the FAQ first) rather than requests
// for one.
func TestQuestionAbout(t *testing.T) {
	for _, tc := range []struct {
		utterance string
		want      bool
	}{
		{"상담원", false},
		{"상담사 불러줘", false},
		{"상담 요청", false},
		{"상담원 몇시까지 해요?", true},
		{"상담사 운영시간", true},
		{"상담원 있어요?", true},
		{"상담원 있어요？", true},
		{"상담원 언제 와요", true},
	} {
		t.Run(tc.utterance, func(t *testing.T) {
			if got := questionAbout(tc.utterance, configs.Fold(tc.utterance)); got != tc.want {
				t.Errorf("questionAbout(%q): got %v, want %v", tc.utterance, got, tc.want)
			}
		})
	}
}

// TestKeywordQuestionStillEscalates checks that a short question holding
// an escalation keyword still escalates when the FAQ has no answer.
func TestKeywordQuestionStillEscalates(t *testing.T) {
	e := newEngine(t, testConfig(), Options{})
	for _, u := range []string{"상담원", "상담원 언제?", "상담사 운영시간"} {
		t.Run(u, func(t *testing.T) {
			o := e.Step(welcomedBot(), text(u))
			if o.Open == nil || o.Open.Reason != ReasonKeyword {
				t.Errorf("got %+v, want a keyword escalation", o.Record)
			}
		})
	}
}
