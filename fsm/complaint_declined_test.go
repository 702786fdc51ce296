package fsm

import (
	"testing"
	"time"
)

// complaintAsked is a user of the example shop whose complaint the FAQ had
// no answer for: the reply, texts.complaint, asks "상담원과 바로
// 이야기하시겠어요?" and the turn counted an FAQ miss.
func complaintAsked(t *testing.T) (*Engine, Outcome) {
	t.Helper()
	e, _ := exampleShop(t)
	c := welcomedBot()
	c.ConfigVersion = e.version
	o := e.Step(c, text("진짜 최악이네요"))
	if o.Record != (TurnRecord{Kind: "no_match", Node: "complaint"}) || o.Conversation.FAQMisses != 1 {
		t.Fatalf("setup: got %+v, %d misses, %q; want the complaint reply", o.Record, o.Conversation.FAQMisses, allText(o.Reply))
	}
	return e, o
}

// TestComplaintDeclined: the complaint reply asks a question
// (texts.complaint, "불편을 드려 죄송해요. 상담원과 바로 이야기하시겠어요?"),
// and the complaint turn already counts an FAQ miss (DESIGN §4
// "Complaints"). A no on the next turn ("아니요 괜찮아요", "괜찮아요",
// "아니요") declines it as the confirm question's no does: the menu, in bot
// state, no miss and no escalation. It was read as one more unanswered
// question: with the example's faq_misses: 2 it escalated (reason
// faq_misses), and the user who had just said no was asked "상담원을
// 연결할까요?" — complaints "never escalate by themselves … the user still
// chooses".
func TestComplaintDeclined(t *testing.T) {
	e, o := complaintAsked(t)
	for _, say := range []string{"아니요 괜찮아요", "괜찮아요", "아니요", "아뇨 됐어요", e.texts.ConfirmNo} {
		in := text(say)
		in.Now = t0.Add(time.Minute)
		got := e.Step(o.Conversation, in)
		if got.Conversation.State != StateBot || got.Record.Escalate != "" || got.Record.Kind != "menu" || got.Conversation.FAQMisses != 0 {
			t.Errorf("%q to %q: got %s %+v, %d misses, %q; want bot, the menu, no miss",
				say, e.texts.Complaint, got.Conversation.State, got.Record, got.Conversation.FAQMisses, allText(got.Reply))
		}
	}
}

// TestComplaintAccepted: a yes to the complaint's question ("네", "네
// 연결해 주세요") asks for a human as its 상담원 연결 quick reply does
// (reason menu; the example confirms first: "상담원을 연결할까요?").
func TestComplaintAccepted(t *testing.T) {
	e, o := complaintAsked(t)
	for _, say := range []string{"네", "네 연결해 주세요", "넵 부탁드려요"} {
		in := text(say)
		in.Now = t0.Add(time.Minute)
		got := e.Step(o.Conversation, in)
		if got.Conversation.State != StateConfirm || got.Record.Escalate != ReasonMenu {
			t.Errorf("%q to %q: got %s %+v %q; want the confirm question, reason menu",
				say, e.texts.Complaint, got.Conversation.State, got.Record, allText(got.Reply))
		}
	}
}

// TestComplaintOfferLastsOneTurn: the question is answered on the turn
// right after it only. Any other text goes on as before (a question the
// FAQ answers, or a second miss that reaches faq_misses); after it, a no
// is text like any other.
func TestComplaintOfferLastsOneTurn(t *testing.T) {
	e, o := complaintAsked(t)
	in := text("배송비는 얼마인가요?")
	in.Now = t0.Add(time.Minute)
	answered := e.Step(o.Conversation, in)
	if answered.Record.Kind != "faq" || answered.Conversation.Intake != (Intake{}) {
		t.Fatalf("a question after the complaint: got %+v intake %+v, want the FAQ answer and no offer kept",
			answered.Record, answered.Conversation.Intake)
	}
	in = text("아니요")
	in.Now = t0.Add(2 * time.Minute)
	if got := e.Step(answered.Conversation, in); got.Record.Kind == "menu" && got.Conversation.FAQMisses == 0 && got.Record.Escalate == "" {
		// Not the decline: "아니요" under an FAQ answer is a miss as before.
		t.Errorf("\"아니요\" two turns after the complaint: got %+v, want it read as any text", got.Record)
	}
	in = text("오늘 날씨 어때요")
	in.Now = t0.Add(time.Minute)
	if got := e.Step(o.Conversation, in); got.Record.Escalate != ReasonFAQMisses {
		t.Errorf("a second miss after the complaint: got %+v, want the faq_misses escalation as before", got.Record)
	}
}
