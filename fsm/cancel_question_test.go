package fsm

import (
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
)

// TestCancelAskedBack checks that a cancel word asked as a question ("취소?")
// cancels neither a wait for an agent nor a ticket or handoff intake: the
// wait goes on and the intake asks its question again. The plain word still
// cancels each.
func TestCancelAskedBack(t *testing.T) {
	def := configs.DefaultTexts()
	bot := newEngine(t, testConfig(), Options{})
	fields := newEngine(t, intakeConfig(false), Options{})
	waiting := func(queue string) Conversation {
		c := welcomedBot()
		c.State, c.HandoffID, c.Queue, c.StateSince = StateWaiting, "h1", queue, t0.Add(-time.Minute)
		return c
	}
	for _, u := range []string{"취소?", "취소??", "취소요?", "상담 취소?", "그만?!", def.Cancel + "?"} {
		t.Run(u, func(t *testing.T) {
			for _, q := range []string{"vip", "general"} { // a dealer queue, a 1:1 chat queue
				o := bot.Step(waiting(q), text(u))
				if o.Close != nil || o.Conversation.State != StateWaiting {
					t.Errorf("waiting in %s, %q: got close %+v, state %q, want the wait kept", q, u, o.Close, o.Conversation.State)
				}
			}

			conv := intakeConv(IntakeMessage, "")
			o := bot.Step(conv, turnText(u, u))
			if o.Ticket != nil || o.Conversation.Intake != conv.Intake {
				t.Errorf("ticket intake, %q: got ticket %v, intake %+v, want the prompt again", u, o.Ticket != nil, o.Conversation.Intake)
			}
			if got := allText(o.Reply); !strings.Contains(got, def.TicketPrompt) || strings.Contains(got, def.TicketCancelled) {
				t.Errorf("ticket intake, %q: got reply %q, want %q again", u, got, def.TicketPrompt)
			}

			conv = inIntake("buyer", false)
			o = fields.Step(conv, text(u))
			if o.IntakeAnswer != nil || o.Conversation.State != StateConfirm || o.Conversation.Intake != conv.Intake {
				t.Errorf("handoff intake, %q: got answer %+v, state %q, intake %+v, want the field again", u, o.IntakeAnswer, o.Conversation.State, o.Conversation.Intake)
			}
			if got := allText(o.Reply); !strings.Contains(got, buyerPrompt) || strings.Contains(got, def.IntakeCancelled) {
				t.Errorf("handoff intake, %q: got reply %q, want %q again", u, got, buyerPrompt)
			}
		})
	}

	// The plain word still cancels, with a polite ending too.
	for _, u := range []string{"취소", "취소요", "그만요"} {
		for _, q := range []string{"vip", "general"} {
			if o := bot.Step(waiting(q), text(u)); o.Close == nil {
				t.Errorf("waiting in %s, %q: got no close, want the wait cancelled", q, u)
			}
		}
		o := bot.Step(intakeConv(IntakeMessage, ""), turnText(u, u))
		if o.Conversation.Intake.Step != "" || o.Ticket != nil || !strings.Contains(allText(o.Reply), def.TicketCancelled) {
			t.Errorf("ticket intake, %q: got intake %+v, ticket %v, reply %q, want it cancelled", u, o.Conversation.Intake, o.Ticket != nil, allText(o.Reply))
		}
		o = fields.Step(inIntake("buyer", false), text(u))
		if o.Conversation.Intake.Step != "" || o.IntakeAnswer != nil || !strings.Contains(allText(o.Reply), def.IntakeCancelled) {
			t.Errorf("handoff intake, %q: got intake %+v, answer %+v, reply %q, want it cancelled", u, o.Conversation.Intake, o.IntakeAnswer, allText(o.Reply))
		}
	}
}
