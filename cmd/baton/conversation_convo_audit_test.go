//go:build audit

package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/baton-chat/baton/fsm"
)

// csatRows counts the CSAT answers stored for the session's user.
func (s *session) csatRows() int {
	s.t.Helper()
	var n int
	if err := s.m.DB.ReadDB().QueryRow(`SELECT COUNT(*) FROM csat WHERE user_key = ?`, s.user).Scan(&n); err != nil {
		s.t.Fatalf("%s: count csat rows: %v", s.user, err)
	}
	return n
}

// TestAuditConfirmUnderstandsEverydayAnswers shows that the confirm
// question ("상담원을 연결할까요?") understands only the exact words of
// fsm/engine.go:135-136 (yesWords: 네, 예, 응, 좋아요, yes, ok, 연결해주세요,
// 1 and texts.confirm_yes; noWords: 아니요, 아니오, 아뇨, 아니, 괜찮아요, no,
// 2 and texts.confirm_no). Everyday KakaoTalk answers — "넵", "네네", "ㅇㅇ",
// "연결해줘", "네 부탁드려요", and for no "아뇨 괜찮아요", "됐어요" — leave
// confirm as "ignored" (fsm/step.go inConfirm default) and go to the FAQ,
// which answers texts.no_match ("죄송해요, 질문을 이해하지 못했어요 …"): a
// user who said yes gets no handoff and an apology for not understanding,
// and one who said no is told the bot did not understand.
func TestAuditConfirmUnderstandsEverydayAnswers(t *testing.T) {
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
	} {
		t.Run(tc.say, func(t *testing.T) {
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
}

// TestAuditThanksIsNotAFailedQuestion shows that small talk after an
// answer counts as a failed FAQ question: "감사합니다" gets texts.no_match
// ("죄송해요, 질문을 이해하지 못했어요 …") and increments faq_misses
// (fsm/step.go text: every no-match is a miss), so a polite user who thanks
// the bot twice is asked "상담원을 연결할까요?" (escalation.faq_misses: 2 in
// configs/example.yaml). docs/design.md §4 counts misses as questions the
// FAQ could not answer; a thank-you is not a question.
func TestAuditThanksIsNotAFailedQuestion(t *testing.T) {
	lifecycle(t, mondayMorning, func(s *session) {
		s.say("배송비 얼마에요") // answered (the spelling 얼마예요 gets a clarify list)
		s.wantText("3,000원")
		s.say("감사합니다")
		if strings.Contains(s.last.text(), "이해하지 못했어요") {
			t.Errorf("\"감사합니다\" after an answer: got the no-match apology, want an acknowledgement: %s", s.raw)
		}
		s.say("감사합니다")
		if got := s.conv().State; got != fsm.StateBot {
			t.Errorf("after thanking twice: got state %q, want %q (no escalation offer); answer %s", got, fsm.StateBot, s.raw)
		}
	})
}

// TestAuditTypedCSATScore shows that a CSAT score typed instead of tapped
// is not taken. After a human session the reply asks texts.csat_question
// ("… 1점(아쉬워요)부터 5점(좋았어요)까지 골라 주세요"), but only the
// quick-reply tap is read (fsm/event.go eventTap): a typed "5점" goes to
// the FAQ (no match, a miss), and a typed "5" picks option 5 of the current
// menu (fsm/step.go text: typedNumber) — 쿠폰/포인트 at the main menu. The
// score is lost either way.
func TestAuditTypedCSATScore(t *testing.T) {
	for _, typed := range []string{"5점", "5"} {
		t.Run(typed, func(t *testing.T) {
			lifecycle(t, mondayMorning, func(s *session) {
				toWaiting(s)
				s.apply(fsm.EventAccepted)
				s.say("배송비 얼마에요") // back from the human: the answer and the CSAT question
				s.wantText("1점(아쉬워요)")
				s.say(typed)
				if got := s.csatRows(); got != 1 {
					t.Errorf("typed %q to the CSAT question: got %d csat rows, want 1; answer %s", typed, got, s.raw)
				}
			})
		})
	}
}

// TestAuditShortRecipientQuestionIsNotAHandoff shows that the example's
// bare escalation keyword "사람" (configs/example.yaml escalation.keywords)
// is found inside "받는사람" (fsm/step.go hasKeywordNorm is a substring
// test), and a short utterance holding a keyword escalates before the FAQ
// is asked: "받는사람 변경" — a question the ship-address entry answers —
// gets "상담원을 연결할까요?" instead of the answer.
func TestAuditShortRecipientQuestionIsNotAHandoff(t *testing.T) {
	lifecycle(t, mondayMorning, func(s *session) {
		s.say("받는사람 변경")
		if got := s.conv().State; got != fsm.StateBot {
			t.Errorf("\"받는사람 변경\": got state %q, want %q (the FAQ answers); answer %s", got, fsm.StateBot, s.raw)
		}
	})
}

// TestAuditTapAfterUnrelatedReloadIsNotStale shows that a reload which
// changes nothing but one FAQ answer's wording makes every quick reply on
// every user's screen stale: the tap version is the hash of the whole file
// (configs/load.go cfg.Version, fsm/step.go stale), so a user who taps
// "배송 조회" in the unchanged 주문/배송 menu gets texts.stale_tap
// ("메뉴가 바뀌었어요 …") — untrue — and has to tap again. A bot master
// tuning answers during the day interrupts every conversation in progress.
func TestAuditTapAfterUnrelatedReloadIsNotStale(t *testing.T) {
	t.Setenv("BATON_ADMIN_TOKEN", e2eAdminToken)
	clock := &testClock{t: mondayMorning}
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string { return s })
	m := startBaton(t, path, t.TempDir(), clock)
	s := newSession(t, m, clock, "u-audit-reload-tap")
	s.welcome()
	s.tap("주문/배송")
	s.wantText("주문/배송 메뉴입니다")

	writeConfig(t, path, func(s string) string {
		return replaceOnce(t, s, "기본 배송비는 3,000원이며", "기본 배송비는 3,500원이며")
	})
	reloadOK(t, m)

	s.tap("배송 조회")
	if strings.Contains(s.last.text(), "메뉴가 바뀌었어요") || !strings.Contains(s.last.text(), "배송 조회 메뉴입니다") {
		t.Errorf("tap on 배송 조회 after a reload that changed only an FAQ answer: got %s, want the 배송 조회 menu", s.raw)
	}
}

// TestAuditClarifyPickedInWords shows that a clarify list ("혹시 아래 질문
// 중 하나인가요? 번호로 답하셔도 돼요.\n1. …\n2. …") is answered only by
// "2", "2번" or "２" (fsm/clarify.go typedNumber). The natural "2번이요" or
// "두 번째요" is an ignored clarify (a miss) and then a no-match (another
// miss), which reaches escalation.faq_misses: 2 — the user who picked the
// second question is asked "상담원을 연결할까요?".
func TestAuditClarifyPickedInWords(t *testing.T) {
	for _, pick := range []string{"2번이요", "두 번째요"} {
		t.Run(pick, func(t *testing.T) {
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

// TestAuditWaitingCancelInWords shows that while waiting for an agent only
// the exact words "상담 취소", "취소", "상담취소", "대기취소" and "그만"
// cancel (fsm/engine.go:134 cancelWords). "상담 취소해주세요" is answered as
// a question — texts.no_match ("죄송해요, 질문을 이해하지 못했어요") plus the
// operator button again — and the request stays open (the agents are still
// notified and may accept it).
func TestAuditWaitingCancelInWords(t *testing.T) {
	lifecycle(t, mondayMorning, func(s *session) {
		toWaiting(s)
		s.say("상담 취소해주세요")
		if got := s.conv().State; got != fsm.StateBot {
			t.Errorf("\"상담 취소해주세요\" while waiting: got state %q, want %q (cancelled); answer %s", got, fsm.StateBot, s.raw)
		}
	})
}

// TestAuditTypedNavigationWords shows that the everyday words for going
// back or to the start — "처음", "메뉴", "뒤로", "홈" — are not understood
// (fsm/step.go text compares the folded utterance only with texts.home
// "처음으로" and texts.back "이전"): each gets texts.no_match and counts as
// an FAQ miss, so two of them offer a human.
func TestAuditTypedNavigationWords(t *testing.T) {
	for _, word := range []string{"처음", "메뉴", "뒤로", "홈"} {
		t.Run(word, func(t *testing.T) {
			lifecycle(t, mondayMorning, func(s *session) {
				s.tap("주문/배송")
				s.say(word)
				if strings.Contains(s.last.text(), "이해하지 못했어요") || s.conv().FAQMisses != 0 {
					t.Errorf("%q in the 주문/배송 menu: got the no-match answer (faq misses %d), want a menu: %s", word, s.conv().FAQMisses, s.raw)
				}
			})
		})
	}
}

// TestAuditExampleFAQConfidentWrongAnswers shows questions the example's
// FAQ does not cover, or covers in another entry, answered confidently
// with the wrong entry (docs/design.md §4: answer, clarify or no match; a
// wrong answer is worse than a clarify). "리뷰 삭제하고 싶어요" gets the
// account-withdrawal steps, "적립금 언제 들어와요" — near point-earn's own
// alternate "적립금이 안 들어왔어요" — gets the refund schedule, and "반품
// 주소가 어디예요?" gets the return fee.
func TestAuditExampleFAQConfidentWrongAnswers(t *testing.T) {
	for _, tc := range []struct{ say, wrong string }{
		{"리뷰 삭제하고 싶어요", "[회원 탈퇴]"},
		{"적립금 언제 들어와요", "반품 상품이 회수되어"},
		{"반품 주소가 어디예요?", "왕복 배송비"},
	} {
		t.Run(tc.say, func(t *testing.T) {
			lifecycle(t, mondayMorning, func(s *session) {
				s.say(tc.say)
				if strings.Contains(s.last.text(), tc.wrong) {
					t.Errorf("%q: got the answer holding %q, want the right entry, a clarify or a no match: %s", tc.say, tc.wrong, s.raw)
				}
			})
		})
	}
}
