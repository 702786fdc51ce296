package main

import (
	"strings"
	"testing"

	"github.com/baton-chat/baton/fsm"
)

// Copies of the conversation audit's tests (conversation_convo_audit_test.go)
// for the findings fixed: everyday Korean words at the confirm question,
// while waiting, in a clarify list, for navigation, thanks and typed CSAT.

// TestConfirmUnderstandsEverydayAnswers: "넵", "네 부탁드려요", "아뇨
// 괜찮아요", "됐어요" answer the confirm question; a question such as
// "안 돼요?" is not read as yes.
func TestConfirmUnderstandsEverydayAnswers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		say  string
		want fsm.State
	}{
		{"넵", fsm.StateWaiting},
		{"네네", fsm.StateWaiting},
		{"ㅇㅇ", fsm.StateWaiting},
		{"연결해줘", fsm.StateWaiting},
		{"네 부탁드려요", fsm.StateWaiting},
		{"아뇨 괜찮아요", fsm.StateBot},
		{"됐어요", fsm.StateBot},
		{"아니요 괜찮습니다", fsm.StateBot},
	} {
		t.Run(tc.say, func(t *testing.T) {
			t.Parallel()
			lifecycle(t, mondayMorning, func(s *session) {
				s.say("상담원")
				s.wantState(fsm.StateConfirm)
				s.say(tc.say)
				if got := s.conv().State; got != tc.want {
					t.Errorf("after %q to the confirm question: got state %q, want %q; answer %s", tc.say, got, tc.want, s.raw)
				}
				if strings.Contains(s.last.text(), "이해하지 못했어요") {
					t.Errorf("after %q to the confirm question: got the no-match apology: %s", tc.say, s.raw)
				}
			})
		})
	}
	t.Run("question is not yes", func(t *testing.T) {
		lifecycle(t, mondayMorning, func(s *session) {
			s.say("상담원")
			s.wantState(fsm.StateConfirm)
			s.say("안 돼요?")
			if got := s.conv().State; got == fsm.StateWaiting {
				t.Errorf("after \"안 돼요?\" to the confirm question: got state %q, want no handoff; answer %s", got, s.raw)
			}
		})
	})
}

// TestWaitingCancelInWords: "상담 취소해주세요", "취소할래요" and "상담 안
// 할래요" cancel the wait for an agent.
func TestWaitingCancelInWords(t *testing.T) {
	t.Parallel()
	for _, say := range []string{"상담 취소해주세요", "취소할래요", "상담 안 할래요"} {
		t.Run(say, func(t *testing.T) {
			t.Parallel()
			lifecycle(t, mondayMorning, func(s *session) {
				toWaiting(s)
				s.say(say)
				if got := s.conv().State; got != fsm.StateBot {
					t.Errorf("%q while waiting: got state %q, want %q (cancelled); answer %s", say, got, fsm.StateBot, s.raw)
				}
			})
		})
	}
}

// TestClarifyPickedInWords: "2번이요", "두 번째요", "2번 이요" pick the
// second question of a clarify list.
func TestClarifyPickedInWords(t *testing.T) {
	t.Parallel()
	for _, pick := range []string{"2번이요", "두 번째요", "2번 이요"} {
		t.Run(pick, func(t *testing.T) {
			t.Parallel()
			lifecycle(t, mondayMorning, func(s *session) {
				s.say("배송비 얼마예요")
				s.wantText("혹시 아래 질문 중 하나인가요")
				s.wantText("2. 배송비는 얼마인가요?")
				s.say(pick)
				if got := s.conv().State; got != fsm.StateBot || !strings.Contains(s.last.text(), "기본 배송비는 3,000원") {
					t.Errorf("%q to the clarify list: got state %q and %s, want the ship-fee answer in state bot", pick, got, s.raw)
				}
			})
		})
	}
}

// TestTypedNavigationWords: "처음", "메뉴", "뒤로", "홈", "처음으로요" in a
// menu show a menu and are not FAQ misses.
func TestTypedNavigationWords(t *testing.T) {
	t.Parallel()
	for _, word := range []string{"처음", "메뉴", "뒤로", "홈", "처음으로요"} {
		t.Run(word, func(t *testing.T) {
			lifecycle(t, mondayMorning, func(s *session) {
				s.tap("주문/배송")
				s.say(word)
				if strings.Contains(s.last.text(), "이해하지 못했어요") || s.conv().FAQMisses != 0 {
					t.Errorf("%q in the 주문/배송 menu: got the no-match answer (faq misses %d), want a menu: %s", word, s.conv().FAQMisses, s.raw)
				}
				if got := s.conv().MenuPath; len(got) > 1 {
					t.Errorf("%q in the 주문/배송 menu: got menu path %v, want the main menu", word, got)
				}
			})
		})
	}
}

// TestThanksIsNotAFailedQuestion: thanks after an answer gets texts.thanks,
// not the no-match apology, and thanking twice offers no human.
func TestThanksIsNotAFailedQuestion(t *testing.T) {
	t.Parallel()
	for _, thanks := range []string{"감사합니다", "고마워요", "ㄱㅅ", "네 알겠어요"} {
		t.Run(thanks, func(t *testing.T) {
			t.Parallel()
			lifecycle(t, mondayMorning, func(s *session) {
				s.say("배송비 얼마에요") // answered (the spelling 얼마예요 gets a clarify list)
				s.wantText("3,000원")
				s.say(thanks)
				if strings.Contains(s.last.text(), "이해하지 못했어요") {
					t.Errorf("%q after an answer: got the no-match apology, want an acknowledgement: %s", thanks, s.raw)
				}
				s.wantText("더 궁금한 점이 있으면")
				s.say(thanks)
				if got := s.conv().State; got != fsm.StateBot {
					t.Errorf("after thanking twice: got state %q, want %q (no escalation offer); answer %s", got, fsm.StateBot, s.raw)
				}
				if got := s.conv().FAQMisses; got != 0 {
					t.Errorf("after thanking twice: got %d faq misses, want 0", got)
				}
			})
		})
	}
}

// csatRowCount counts the CSAT answers stored for the session's user.
func (s *session) csatRowCount() int {
	s.t.Helper()
	var n int
	if err := s.m.DB.ReadDB().QueryRow(`SELECT COUNT(*) FROM csat WHERE user_key = ?`, s.user).Scan(&n); err != nil {
		s.t.Fatalf("%s: count csat rows: %v", s.user, err)
	}
	return n
}

// TestTypedCSATScore: a score typed on the turn after the CSAT question is
// recorded as a tapped one; a number typed later picks a menu option.
func TestTypedCSATScore(t *testing.T) {
	t.Parallel()
	for _, typed := range []string{"5점", "5", "５점", "4점이요"} {
		t.Run(typed, func(t *testing.T) {
			lifecycle(t, mondayMorning, func(s *session) {
				toWaiting(s)
				s.apply(fsm.EventAccepted)
				s.say("배송비 얼마에요") // back from the human: the answer and the CSAT question
				s.wantText("1점(아쉬워요)")
				s.say(typed)
				if got := s.csatRowCount(); got != 1 {
					t.Errorf("typed %q to the CSAT question: got %d csat rows, want 1; answer %s", typed, got, s.raw)
				}
				s.wantText("소중한 의견 감사합니다")
				s.say(typed) // the question was answered: no second score
				if got := s.csatRowCount(); got != 1 {
					t.Errorf("typed %q again: got %d csat rows, want 1; answer %s", typed, got, s.raw)
				}
			})
		})
	}
}
