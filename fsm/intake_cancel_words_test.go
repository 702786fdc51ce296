package fsm

import (
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
)

// TestHandoffIntakeCancelInWords: "취소할게요", "취소해 주세요", "그만할게요"
// are everyday ways to say 취소; the confirm question right before the
// intake takes them as a no and a wait takes them as a cancel (DESIGN §4:
// a cancel said plainly cancels an intake too). At a handoff intake field
// they cancel the intake (intake_cancelled, no handoff) — they were taken
// as the field's answer (stored as its value when it has no pattern), and
// said twice the field was left out and the handoff opened. Asked back
// ("취소할게요?") they cancel nothing: the field is asked again.
func TestHandoffIntakeCancelInWords(t *testing.T) {
	e, asked := exampleVIPIntake(t)
	for _, say := range []string{"취소할게요", "취소해 주세요", "그만할게요", "취소 할게요", "상담 취소해 주세요", "상담 안 할래요"} {
		c := asked.Conversation
		for i := 0; i < 2; i++ {
			in := text(say)
			in.Now = t0.Add(time.Duration(3+i) * time.Second)
			got := e.Step(c, in)
			if got.Open != nil {
				t.Errorf("%q typed %d time(s) at the intake field: the handoff opened; want the intake cancelled", say, i+1)
				break
			}
			if i == 0 && (got.Record.Kind != "intake_cancelled" || got.Conversation.State != StateBot || got.IntakeAnswer != nil) {
				t.Errorf("%q at the intake field: got %s %+v answer %+v %q; want intake_cancelled",
					say, got.Conversation.State, got.Record, got.IntakeAnswer, allText(got.Reply))
			}
			c = got.Conversation
		}
	}
	for _, say := range []string{"취소할게요?", "취소해 주세요?"} {
		got := e.Step(asked.Conversation, text(say))
		if got.Conversation.State != StateConfirm || got.Conversation.Intake != asked.Conversation.Intake || got.IntakeAnswer != nil {
			t.Errorf("%q at the intake field: got %s intake %+v answer %+v; want the field asked again",
				say, got.Conversation.State, got.Conversation.Intake, got.IntakeAnswer)
		}
	}
}

// TestHandoffIntakeDeclineIsNoCancel: the cancel words that also decline a
// field ("됐어요", "안 할래요", "필요 없어요") still decline it, as before:
// an optional field is skipped, a required one asked again — the user
// confirmed the handoff and only turns the question down. Named with what
// they cancel ("상담 안 할래요") they cancel (TestHandoffIntakeCancelInWords).
func TestHandoffIntakeDeclineIsNoCancel(t *testing.T) {
	def := configs.DefaultTexts()
	e := newEngine(t, intakeConfig(false), Options{})
	for _, say := range []string{"됐어요", "안 할래요", "필요 없어요"} {
		o := e.Step(inIntake("order", false), text(say))
		if o.Conversation.State != StateConfirm || o.Conversation.Intake.Field != "buyer" || o.IntakeAnswer != nil {
			t.Errorf("%q at the optional field: got %s intake %+v answer %+v; want it skipped", say,
				o.Conversation.State, o.Conversation.Intake, o.IntakeAnswer)
		}
		o = e.Step(inIntake("buyer", false), text(say))
		if o.Conversation.State != StateConfirm || o.Conversation.Intake.Field != "buyer" || o.IntakeAnswer != nil ||
			strings.Contains(allText(o.Reply), def.IntakeCancelled) {
			t.Errorf("%q at the required field: got %s intake %+v answer %+v %q; want it asked again", say,
				o.Conversation.State, o.Conversation.Intake, o.IntakeAnswer, allText(o.Reply))
		}
	}
}

// TestTicketCancelInWords: at the ticket message prompt (its bubble offers
// 취소), "취소할게요" / "취소해 주세요" / "그만할게요" cancel the ticket
// intake (ticket_cancelled, bot state, no message held). They were taken
// as the user's MESSAGE: the contact prompt followed, and agents got a
// ticket saying "취소할게요" while the user was told it was received. At
// the call-back number prompt they cancel too (they were answered "전화번호
// 형식이 아니에요"); a decline there ("됐어요") still leaves the ticket
// without a number, as before. Asked back ("취소할게요?") they cancel
// nothing (DESIGN §4).
func TestTicketCancelInWords(t *testing.T) {
	e, asked := exampleTicketPrompt(t)
	for _, say := range []string{"취소할게요", "취소해 주세요", "그만할게요", "취소 할게요"} {
		got := e.Step(asked.Conversation, ticketText(say))
		if got.Record.Kind != "ticket_cancelled" || got.Conversation.State != StateBot || got.Conversation.Intake.Message != "" || got.Ticket != nil {
			t.Errorf("%q at the ticket prompt: got %s %+v intake %+v %q; want ticket_cancelled",
				say, got.Conversation.State, got.Record, got.Conversation.Intake, allText(got.Reply))
		}
	}
	if got := e.Step(asked.Conversation, ticketText("취소할게요?")); got.Conversation.Intake != asked.Conversation.Intake {
		t.Errorf("\"취소할게요?\" at the ticket prompt: got intake %+v, want the prompt again", got.Conversation.Intake)
	}
	// A message about cancelling an order is a message.
	if got := e.Step(asked.Conversation, ticketText("주문 취소해 주세요")); got.Conversation.Intake.Message != "주문 취소해 주세요" {
		t.Errorf("\"주문 취소해 주세요\" at the ticket prompt: got %+v intake %+v, want it held as the message", got.Record, got.Conversation.Intake)
	}

	_, contact := exampleContactPrompt(t)
	for _, say := range []string{"취소할게요", "취소해 주세요", "그만할게요"} {
		got := e.Step(contact.Conversation, ticketText(say))
		if got.Record.Kind != "ticket_cancelled" || got.Ticket != nil {
			t.Errorf("%q at the contact prompt: got %s %+v %q; want ticket_cancelled",
				say, got.Conversation.State, got.Record, allText(got.Reply))
		}
	}
	got := e.Step(contact.Conversation, ticketText("됐어요"))
	if got.Ticket == nil || got.Ticket.Contact != "" || got.Ticket.Message != "배송이 안 와요" {
		t.Errorf("\"됐어요\" at the contact prompt: got %+v ticket %+v; want the ticket left without a number", got.Record, got.Ticket)
	}
}
