package fsm

import (
	"testing"
	"time"
)

// TestDoubleTapLeaveMessage: out of escalation.queue's hours a menu offers
// 메시지 남기기 (leaveUnderReply). The user taps it twice (a double tap
// sends the same quick reply twice; Kakao delivers both). The first opens
// the ticket intake in after_hours; the second, whose tap was built in bot
// state, is stale there, but it asks for what the intake is doing: the
// message is asked again and the intake kept (as the same words typed do),
// so the message typed next is the ticket, not a question for the FAQ.
func TestDoubleTapLeaveMessage(t *testing.T) {
	e := newEngine(t, testConfig(), Options{Hours: hoursStub{closed: map[string]bool{"general": true}, next: t0.Add(time.Hour)}})
	menu := e.Step(welcomedBot(), text("처음으로"))
	leave := findQR(t, menu.Reply, e.texts.LeaveMessage)
	in := tapIn(leave.Label, *leave.Tap)
	first := e.Step(menu.Conversation, in)
	if first.Conversation.State != StateAfterHours || first.Conversation.Intake.Step != IntakeMessage {
		t.Fatalf("setup: first tap got state %s intake %+v, want after_hours with the message asked", first.Conversation.State, first.Conversation.Intake)
	}
	second := e.Step(first.Conversation, in)
	if second.Conversation.State != StateAfterHours || second.Conversation.Intake != first.Conversation.Intake {
		t.Errorf("second tap of 메시지 남기기: got state %s intake %+v, reply %q; want the intake %+v kept and the message asked again",
			second.Conversation.State, second.Conversation.Intake, allText(second.Reply), first.Conversation.Intake)
	}
	msg := text("환불 요청합니다 연락 주세요")
	msg.Masked = msg.Utterance
	msg.NewTicketID = "t-1"
	third := e.Step(second.Conversation, msg)
	if third.Ticket == nil {
		t.Fatalf("the message typed after the second tap: got record %+v, no ticket; want the ticket left", third.Record)
	}
	if once := e.Step(first.Conversation, msg); once.Ticket == nil || third.Ticket.Origin != once.Ticket.Origin {
		t.Errorf("ticket after a double tap: origin %q, want %+v's (as after one tap)", third.Ticket.Origin, once.Ticket)
	}
}

// TestDoubleTapLeaveKeepsOrigin: after the after-hours reply (reason
// keyword), the user taps its 메시지 남기기 twice. The second tap is fresh
// (built in after_hours); it keeps the intake and the reason the stay began
// with, so the ticket is left with origin after_hours, as after one tap —
// agents are told where it came from.
func TestDoubleTapLeaveKeepsOrigin(t *testing.T) {
	e := newEngine(t, testConfig(), Options{Hours: hoursStub{closed: map[string]bool{"general": true}, next: t0.Add(time.Hour)}})
	ah := e.Step(welcomedBot(), text("상담원"))
	if ah.Conversation.State != StateAfterHours {
		t.Fatalf("setup: got state %s record %+v, want after_hours", ah.Conversation.State, ah.Record)
	}
	leave := findQR(t, ah.Reply, e.texts.LeaveMessage)
	in := tapIn(leave.Label, *leave.Tap)
	first := e.Step(ah.Conversation, in)
	second := e.Step(first.Conversation, in)
	msg := text("환불 요청합니다")
	msg.Masked = msg.Utterance
	msg.NewTicketID = "t-1"
	if once := e.Step(first.Conversation, msg); once.Ticket == nil || once.Ticket.Origin != TicketOriginAfterHours {
		t.Fatalf("setup: one tap then the message: got ticket %+v, want origin %q", once.Ticket, TicketOriginAfterHours)
	}
	got := e.Step(second.Conversation, msg)
	if got.Ticket == nil {
		t.Fatalf("got record %+v, no ticket", got.Record)
	}
	if got.Ticket.Origin != TicketOriginAfterHours {
		t.Errorf("ticket after a double tap of 메시지 남기기: origin %q, want %q (as after one tap)", got.Ticket.Origin, TicketOriginAfterHours)
	}
}
