package fsm

import (
	"testing"
	"time"
)

// exampleVIPIntake walks a user of the example shop (configs/example.yaml,
// real FAQ index) to the vip queue's intake: 회원/계정 → VIP 전용 상담 → 네,
// 연결해 주세요, which asks the optional order number field (pattern
// [A-Za-z0-9-]{4,20}).
func exampleVIPIntake(t *testing.T) (*Engine, Outcome) {
	t.Helper()
	e, _ := exampleShop(t)
	c := welcomedBot()
	c.ConfigVersion = e.version
	o := e.Step(c, tapIn("회원/계정", Tap{V: e.version, N: "main", O: "account", S: StateBot}))
	in := tapIn("VIP 전용 상담", Tap{V: e.version, N: "account", O: "vip", S: StateBot})
	in.Now = t0.Add(time.Second)
	o = e.Step(o.Conversation, in)
	if o.Conversation.State != StateConfirm {
		t.Fatalf("setup: got %s %+v, want confirm", o.Conversation.State, o.Record)
	}
	yes := findQR(t, o.Reply, e.texts.ConfirmYes)
	in = tapIn(yes.Label, *yes.Tap)
	in.Now = t0.Add(2 * time.Second)
	o = e.Step(o.Conversation, in)
	if o.Conversation.Intake.Step != IntakeField {
		t.Fatalf("setup: not in the intake: %s %+v %q", o.Conversation.State, o.Record, allText(o.Reply))
	}
	return e, o
}

// exampleTicketPrompt walks a user of the example shop to the ticket
// message prompt out of hours: "상담원 연결해주세요" → after_hours → 메시지
// 남기기.
func exampleTicketPrompt(t *testing.T) (*Engine, Outcome) {
	t.Helper()
	mk, _ := exampleShopHours(t)
	e := mk(true)
	c := welcomedBot()
	c.ConfigVersion = e.version
	o := e.Step(c, text("상담원 연결해주세요"))
	if o.Conversation.State != StateAfterHours {
		t.Fatalf("setup: got %s %+v, want after_hours", o.Conversation.State, o.Record)
	}
	leave := findQR(t, o.Reply, e.texts.LeaveMessage)
	o = e.Step(o.Conversation, tapIn(leave.Label, *leave.Tap))
	if o.Conversation.Intake.Step != IntakeMessage {
		t.Fatalf("setup: got intake %+v, want the message prompt", o.Conversation.Intake)
	}
	return e, o
}

// exampleContactPrompt goes on from exampleTicketPrompt: the message is
// left, and the call-back number is asked.
func exampleContactPrompt(t *testing.T) (*Engine, Outcome) {
	t.Helper()
	e, asked := exampleTicketPrompt(t)
	in := text("배송이 안 와요")
	in.Masked = "배송이 안 와요"
	o := e.Step(asked.Conversation, in)
	if o.Conversation.Intake.Step != IntakeContact {
		t.Fatalf("setup: got intake %+v, want the call-back number prompt", o.Conversation.Intake)
	}
	return e, o
}

// ticketText is a text typed during a ticket intake, with its masked form
// and a ticket id to leave it with.
func ticketText(say string) Input {
	in := text(say)
	in.Masked, in.NewTicketID = say, "t-1"
	return in
}
