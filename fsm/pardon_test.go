package fsm

import (
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
)

// pardons are yes and no words asked back: none may confirm anything.
var pardons = []string{"네?", "네??", "네?!", "네? ", "예?", "응?", "넵？", "연결요?", "네 부탁드려요?", "아니요?", "1?"}

// TestPardonReasksConfirm checks that "네?" at "상담원을 연결할까요?" asks
// the question again: no handoff opens, no decline, the state stays
// confirm.
func TestPardonReasksConfirm(t *testing.T) {
	def := configs.DefaultTexts()
	cfg := testConfig()
	cfg.Escalation.Confirm = true
	e := newEngine(t, cfg, Options{})
	confirming := welcomedBot()
	confirming.State, confirming.Queue = StateConfirm, "general"
	for _, u := range pardons {
		t.Run(u, func(t *testing.T) {
			o := e.Step(confirming, text(u))
			if o.Open != nil {
				t.Errorf("%q: got handoff %s opened, want the question again", u, o.Open.ID)
			}
			if o.Conversation.State != StateConfirm {
				t.Errorf("%q: got state %q, want %q", u, o.Conversation.State, StateConfirm)
			}
			if got := allText(o.Reply); !strings.Contains(got, def.ConfirmQuestion) {
				t.Errorf("%q: got reply %q, want %q", u, got, def.ConfirmQuestion)
			}
		})
	}
	if o := e.Step(confirming, text("네")); o.Open == nil {
		t.Errorf(`"네": got no handoff, want one (record %+v)`, o.Record)
	}
}

// TestPardonAnswersNoIntake checks that "네?" is neither a ticket message,
// a call-back number nor the answer to a handoff intake field: the prompt
// is asked again and nothing is stored.
func TestPardonAnswersNoIntake(t *testing.T) {
	def := configs.DefaultTexts()
	withContact := testConfig()
	withContact.Tickets.AskContact = true
	tickets := newEngine(t, withContact, Options{})
	fields := newEngine(t, intakeConfig(false), Options{})
	for _, u := range pardons {
		t.Run(u, func(t *testing.T) {
			for _, tc := range []struct {
				name string
				e    *Engine
				conv Conversation
				want string
			}{
				{"ticket message", tickets, intakeConv(IntakeMessage, ""), def.TicketPrompt},
				{"ticket contact", tickets, intakeConv(IntakeContact, "환불 문의"), def.ContactPrompt},
				{"intake field", fields, inIntake("buyer", false), buyerPrompt},
			} {
				o := tc.e.Step(tc.conv, turnText(u, u))
				if o.Ticket != nil || o.IntakeAnswer != nil || o.Open != nil {
					t.Errorf("%s %q: got ticket %v, answer %v, open %v, want none", tc.name, u, o.Ticket != nil, o.IntakeAnswer != nil, o.Open != nil)
				}
				if got := allText(o.Reply); !strings.Contains(got, tc.want) {
					t.Errorf("%s %q: got reply %q, want %q", tc.name, u, got, tc.want)
				}
				if o.Conversation.Intake != tc.conv.Intake {
					t.Errorf("%s %q: got intake %+v, want %+v unchanged", tc.name, u, o.Conversation.Intake, tc.conv.Intake)
				}
			}
		})
	}
}

// TestIsQuestionTrailingPunct checks that a question mark followed by other
// punctuation still makes a question.
func TestIsQuestionTrailingPunct(t *testing.T) {
	for _, tc := range []struct {
		u    string
		want bool
	}{
		{"네?", true}, {"네?!", true}, {"네?~", true}, {"네 ? ", true}, {"네!", false}, {"네", false}, {"네?ㅠㅠ", false},
	} {
		if got := isQuestion(tc.u); got != tc.want {
			t.Errorf("isQuestion(%q): got %v, want %v", tc.u, got, tc.want)
		}
	}
}
