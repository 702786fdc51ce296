package main

import (
	"strings"
	"testing"

	"github.com/baton-chat/baton/fsm"
)

// TestShortRecipientQuestionIsNotAHandoff checks that the example's
// escalation keywords do not match inside a longer word: "받는사람 변경" — a
// question the ship-address entry answers — gets the answer, not
// "상담원을 연결할까요?".
func TestShortRecipientQuestionIsNotAHandoff(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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
			t.Parallel()
			lifecycle(t, mondayMorning, func(s *session) {
				s.say(tc.say)
				if got := s.conv().State; got != tc.want {
					t.Errorf("%q: got state %q, want %q; answer %s", tc.say, got, tc.want, s.raw)
				}
			})
		})
	}
}

// TestExampleFAQConfidentWrongAnswers checks questions the example's FAQ
// used to answer confidently with the wrong entry: "리뷰 삭제하고 싶어요"
// got the account-withdrawal steps, "적립금 언제 들어와요" the refund
// schedule and "반품 주소가 어디예요?" the return fee. Each now gets its own
// entry (review-edit, point-earn, return-address).
func TestExampleFAQConfidentWrongAnswers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ say, wrong, right string }{
		{"리뷰 삭제하고 싶어요", "[회원 탈퇴]", "나의 리뷰"},
		{"적립금 언제 들어와요", "반품 상품이 회수되어", "구매 확정 후"},
		{"반품 주소가 어디예요?", "왕복 배송비", "회수하러 가니"},
	} {
		t.Run(tc.say, func(t *testing.T) {
			lifecycle(t, mondayMorning, func(s *session) {
				s.say(tc.say)
				if strings.Contains(s.last.text(), tc.wrong) {
					t.Errorf("%q: got the answer holding %q, want the right entry, a clarify or a no match: %s", tc.say, tc.wrong, s.raw)
				}
				if !strings.Contains(s.last.text(), tc.right) {
					t.Errorf("%q: got %s, want the answer holding %q", tc.say, s.raw, tc.right)
				}
			})
		})
	}
}

// TestExampleBenefitsMenuLabel checks that the example's benefits menu,
// whose entries are about 적립금, is offered as "쿠폰/적립금" and opens with
// that name.
func TestExampleBenefitsMenuLabel(t *testing.T) {
	t.Parallel()
	lifecycle(t, mondayMorning, func(s *session) {
		s.tap("쿠폰/적립금")
		if got := s.last.text(); !strings.Contains(got, "쿠폰/적립금 메뉴예요.") {
			t.Errorf("tap 쿠폰/적립금: got %q, want the benefits menu; answer %s", got, s.raw)
		}
		if strings.Contains(string(s.raw), "포인트") {
			t.Errorf("benefits menu: got %s, want no 포인트 label", s.raw)
		}
	})
}
