package fsm

import (
	"testing"

	"github.com/baton-chat/baton/configs"
)

// TestPlainAnswerAfterHoursOffersMessage: an FAQ answer to a plain
// question, typed or from a block mapped to it, offers 상담원 연결 in
// escalation.queue's hours; out of them 메시지 남기기 in its place
// (tapped or typed, a ticket with reason faq_ticket), and neither 상담원
// 연결 nor the main menu's handoff entry, which would only lead to the
// after-hours reply. The answer is the same, under a static cache key of
// its own.
func TestPlainAnswerAfterHoursOffersMessage(t *testing.T) {
	engine, cfg := exampleShopHours(t)
	tx := configs.DefaultTexts()
	for _, tc := range []struct{ say, block, faq string }{
		{"배송은 보통 며칠 걸리나요?", "", "ship-delay"},  // typed, answered
		{"반품하고 싶어요", "반품 신청 블록", "return-how"}, // a block mapped to the FAQ
	} {
		c := welcomedBot()
		c.ConfigVersion = cfg.Version
		ask := text(tc.say)
		ask.BlockName = tc.block
		open, closed := engine(false), engine(true)
		in, out := open.Step(c, ask), closed.Step(c, ask)
		again := engine(true).Step(c, ask)
		if in.Record.Kind != "faq" || in.Record.Node != tc.faq || out.Record != in.Record || allText(out.Reply) != allText(in.Reply) {
			t.Fatalf("%s: after hours got %+v %q, in hours %+v %q: want the same %s answer", tc.say, out.Record, allText(out.Reply), in.Record, allText(in.Reply), tc.faq)
		}
		if !hasQR(in.Reply, tx.Agent) || hasQR(in.Reply, tx.LeaveMessage) {
			t.Errorf("%s: in hours: got quick replies %v, want %s and no %s", tc.say, qrLabels(in.Reply), tx.Agent, tx.LeaveMessage)
		}
		if !hasQR(out.Reply, tx.LeaveMessage) || hasQR(out.Reply, tx.Agent) || hasQR(out.Reply, "상담원 연결") {
			t.Errorf("%s: after hours: got quick replies %v, want %s and no %s", tc.say, qrLabels(out.Reply), tx.LeaveMessage, tx.Agent)
		}
		if !hasQR(out.Reply, tx.NotHelpful) || !hasQR(out.Reply, tx.Home) || len(out.Reply.QuickReplies) > maxQuickReplies {
			t.Errorf("%s: after hours: got quick replies %v, want %s and %s kept, at most %d", tc.say, qrLabels(out.Reply), tx.NotHelpful, tx.Home, maxQuickReplies)
		}
		if out.Reply.CacheKey == "" || out.Reply.CacheKey == in.Reply.CacheKey || again.Reply.CacheKey != out.Reply.CacheKey {
			t.Errorf("%s: cache keys: in hours %q, after hours %q (again %q): want a stable static key of its own", tc.say, in.Reply.CacheKey, out.Reply.CacheKey, again.Reply.CacheKey)
		}
		leave := findQR(t, out.Reply, tx.LeaveMessage)
		tap := closed.Step(out.Conversation, tapIn(leave.Label, *leave.Tap))
		typed := closed.Step(out.Conversation, text("메세지 남길게요"))
		for name, o := range map[string]Outcome{"tap": tap, "typed": typed} {
			if o.Conversation.State != StateAfterHours || o.Conversation.Intake.Step != IntakeMessage || o.Record.Kind != "ticket_prompt" {
				t.Errorf("%s: %s 메시지 남기기: got %s intake %+v record %+v, want the ticket prompt", tc.say, name, o.Conversation.State, o.Conversation.Intake, o.Record)
			}
			wantTransitions(t, o, Transition{From: StateBot, To: StateAfterHours, Event: "escalate", Reason: ReasonFAQTicket})
		}
	}
}
