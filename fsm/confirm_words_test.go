package fsm

import (
	"strings"
	"testing"
)

// TestConfirmCancelWord: escalation.confirm is on; a second miss escalates
// (faq_misses) and asks "상담원을 연결할까요?". A cancel in words — "취소",
// the word of the bot's own intake and waiting buttons, "상담 취소", "아니요
// 취소할게요" — answers the question no, as it cancels a wait or an intake:
// back to the bot with misses reset and the menu, not left as free text for
// the FAQ, whose no-match would reach faq_misses and ask the same question
// again. Asked back ("취소?") it answers nothing: the question again.
func TestConfirmCancelWord(t *testing.T) {
	cfg := testConfig()
	cfg.Escalation.Confirm = true
	e := newEngine(t, cfg, Options{})
	c := welcomedBot()
	c.FAQMisses = 1
	asked := e.Step(c, text("블라블라 모르는 말"))
	if asked.Conversation.State != StateConfirm {
		t.Fatalf("setup: got state %s record %+v, want confirm", asked.Conversation.State, asked.Record)
	}
	for _, u := range []string{"취소", "상담 취소", "아니요 취소할게요", "취소해 주세요", "연결 취소요"} {
		got := e.Step(asked.Conversation, text(u))
		if got.Conversation.State != StateBot || got.Record.Kind == "no_match" || strings.Contains(allText(got.Reply), e.texts.ConfirmQuestion) {
			t.Errorf("%q at the confirm question: got state %s record %+v reply %q; want the question declined (bot, the menu, not asked again)",
				u, got.Conversation.State, got.Record, allText(got.Reply))
		}
		if got.Conversation.FAQMisses != 0 || got.Open != nil {
			t.Errorf("%q at the confirm question: got misses %d open %+v, want 0 and no handoff", u, got.Conversation.FAQMisses, got.Open)
		}
	}
	if got := e.Step(asked.Conversation, text("취소?")); got.Conversation.State != StateConfirm || !strings.Contains(allText(got.Reply), e.texts.ConfirmQuestion) {
		t.Errorf("\"취소?\" at the confirm question: got state %s reply %q; want the question asked again", got.Conversation.State, allText(got.Reply))
	}
	// A cancel of something else is a question for the FAQ.
	got := e.Step(asked.Conversation, text("주문 취소하고 싶어요"))
	for _, tr := range got.Transitions {
		if tr.Reason == "declined" {
			t.Errorf("\"주문 취소하고 싶어요\" at the confirm question: got %+v, want it left to the bot", got.Transitions)
		}
	}
}

// TestConfirmFullWidthDigit: "1" typed at the confirm question is yes (the
// engine's yesWords) and "2" no; "１" and "２" (full-width, which DESIGN §3
// lists beside "1" as the same numeric input) and "1번"/"2번" answer the
// same, not the main menu's option 1 (주문/배송) or 2 (교환/반품).
func TestConfirmFullWidthDigit(t *testing.T) {
	cfg := testConfig()
	cfg.Escalation.Confirm = true
	e := newEngine(t, cfg, Options{})
	asked := e.Step(welcomedBot(), text("상담원"))
	if asked.Conversation.State != StateConfirm {
		t.Fatalf("setup: got state %s, want confirm", asked.Conversation.State)
	}
	for _, p := range [][2]string{{"1", "１"}, {"2", "２"}, {"1", "1번"}, {"2", "2번이요"}} {
		ascii := e.Step(asked.Conversation, text(p[0]))
		wide := e.Step(asked.Conversation, text(p[1]))
		if ascii.Conversation.State != wide.Conversation.State || ascii.Record != wide.Record {
			t.Errorf("confirm: %q got state %s record %+v, %q got state %s record %+v; want the same answer",
				p[0], ascii.Conversation.State, ascii.Record, p[1], wide.Conversation.State, wide.Record)
		}
	}
}
