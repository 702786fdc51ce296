package main

import (
	"testing"

	"github.com/baton-chat/baton/fsm"
)

// TestShortRecipientQuestionIsNotAHandoff checks that the example's
// escalation keywords do not match inside a longer word: "받는사람 변경" — a
// question the ship-address entry answers — gets the answer, not
// "상담원을 연결할까요?".
func TestShortRecipientQuestionIsNotAHandoff(t *testing.T) {
	lifecycle(t, mondayMorning, func(s *session) {
		s.say("받는사람 변경")
		if got := s.conv().State; got != fsm.StateBot {
			t.Errorf("\"받는사람 변경\": got state %q, want %q (the FAQ answers); answer %s", got, fsm.StateBot, s.raw)
		}
	})
}

// TestExampleHandoffKeywords checks the example's escalation keywords on
// everyday requests for a human (they reach the confirm question) and on
// questions that only mention people or agents (they stay with the bot).
func TestExampleHandoffKeywords(t *testing.T) {
	for _, tc := range []struct {
		say  string
		want fsm.State
	}{
		{"상담 받고 싶어요", fsm.StateConfirm},
		{"상담 요청", fsm.StateConfirm},
		{"전화 주세요", fsm.StateConfirm},
		{"1:1 문의", fsm.StateConfirm},
		{"사람이랑 얘기할래요", fsm.StateConfirm},
		{"상담원", fsm.StateConfirm},
		{"사람마다 사이즈가 다른가요", fsm.StateBot},
		{"상담원 몇시까지 해요?", fsm.StateBot},
		{"상담사 운영시간", fsm.StateBot},
	} {
		t.Run(tc.say, func(t *testing.T) {
			lifecycle(t, mondayMorning, func(s *session) {
				s.say(tc.say)
				if got := s.conv().State; got != tc.want {
					t.Errorf("%q: got state %q, want %q; answer %s", tc.say, got, tc.want, s.raw)
				}
			})
		})
	}
}
