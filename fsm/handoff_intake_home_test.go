package fsm

import (
	"testing"
	"time"
)

// TestHandoffIntakeHomeWords: at a handoff intake field, "0" (DESIGN §3:
// numeric input, "0" = 처음으로), its full-width form, and the everyday home
// words "처음으로요" and "메뉴" (DESIGN §4 "Everyday words": they go home as
// texts.home does) abandon the intake as 처음으로 does (DESIGN §5: confirm →
// bot, intake_abandoned): the main menu, in bot state, no handoff. They
// are never the field's answer: taken as one, the field was asked again,
// and typed a second time the field was left out and the handoff opened —
// a user trying to get back to the menu was put in the queue.
func TestHandoffIntakeHomeWords(t *testing.T) {
	e, asked := exampleVIPIntake(t)
	for _, say := range []string{"0", "０", "0번", "처음으로요", "메뉴", "홈"} {
		c := asked.Conversation
		for i := 0; i < 2; i++ {
			in := text(say)
			in.Now = t0.Add(time.Duration(3+i) * time.Second)
			got := e.Step(c, in)
			if got.Open != nil {
				t.Errorf("%q typed %d time(s) at the intake field: the handoff opened (%s %+v); want the main menu, no handoff",
					say, i+1, got.Conversation.State, got.Record)
				break
			}
			if i == 0 {
				if got.Conversation.State != StateBot || got.Record != (TurnRecord{Kind: "menu", Node: "main"}) {
					t.Errorf("%q at the intake field: got %s %+v %q; want bot, the main menu (as 처음으로)",
						say, got.Conversation.State, got.Record, allText(got.Reply))
				}
				if got.IntakeAnswer != nil || got.IntakeDiscard != asked.Conversation.Intake.HandoffID {
					t.Errorf("%q at the intake field: got answer %+v, discard %q; want no answer and the intake's answers discarded",
						say, got.IntakeAnswer, got.IntakeDiscard)
				}
			}
			c = got.Conversation
		}
	}
}

// TestTicketIntakeHomeWords: the ticket intake already left for the menu on
// 처음으로 and "0"; the everyday home words ("처음으로요", "메뉴") do the
// same, at the message prompt and at the call-back number prompt, rather
// than becoming the ticket's message (or an invalid number).
func TestTicketIntakeHomeWords(t *testing.T) {
	e, message := exampleTicketPrompt(t)
	_, contact := exampleContactPrompt(t)
	for _, prompt := range []Outcome{message, contact} {
		for _, say := range []string{"처음으로요", "메뉴"} {
			got := e.Step(prompt.Conversation, ticketText(say))
			// (Intake.Reason then holds the menu's 메시지 남기기 offer:
			// the shop is closed, leave_typed.go.)
			if in := got.Conversation.Intake; got.Ticket != nil || got.Conversation.State != StateBot || in.Step != "" || in.Message != "" ||
				got.Record != (TurnRecord{Kind: "menu", Node: "main"}) {
				t.Errorf("%q at the %s prompt: got %s %+v intake %+v ticket %v; want bot, the main menu",
					say, prompt.Conversation.Intake.Step, got.Conversation.State, got.Record, got.Conversation.Intake, got.Ticket != nil)
			}
		}
	}
}
