package fsm

import (
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
)

// TestContactTextIsFine checks "a text is fine" at the call-back number
// prompt ("문자로도 괜찮아요", "문자도 괜찮아요", "문자 괜찮아요"): it is a
// wish for a text, so texts.contact_text_prompt asks for the number and the
// number typed next is taken, whether or not ticket replies reach the
// chat. "괜찮아요" alone, "문자는 괜찮아요" and "문자 안 받아도 괜찮아요"
// still decline: the ticket is left without a number.
func TestContactTextIsFine(t *testing.T) {
	def := configs.DefaultTexts()
	cfg := testConfig()
	cfg.Tickets.AskContact = true
	engines := map[string]*Engine{
		"reply":    newEngine(t, cfg, Options{}),
		"no reply": newEngine(t, cfg, Options{NoTicketReply: true}),
	}
	for _, tc := range []struct {
		say     string
		asksNum bool // texts.contact_text_prompt; else a ticket without a number
	}{
		{"문자로도 괜찮아요", true},
		{"문자도 괜찮아요", true},
		{"문자 괜찮아요", true},
		{"문자로도 괜찮습니다", true},
		{"문자도 돼요", true},
		{"문자 메시지도 괜찮아요", true},
		{"문자로도 괜찮아요 ㅎㅎ", true},
		{"괜찮아요", false},
		{"괜찮습니다", false},
		{"번호는 괜찮아요", false},
		{"문자는 괜찮아요", false},
		{"문자 안 받아도 괜찮아요", false},
	} {
		for name, e := range engines {
			t.Run(name+"/"+tc.say, func(t *testing.T) {
				o := e.Step(intakeConv(IntakeContact, "환불 문의"), turnText(tc.say, tc.say))
				if !tc.asksNum {
					if o.Ticket == nil || o.Ticket.Contact != "" {
						t.Fatalf("%q: got ticket %+v, reply %q, want a ticket without a number", tc.say, o.Ticket, allText(o.Reply))
					}
					return
				}
				if o.Ticket != nil {
					t.Fatalf("%q: got ticket %+v, want the number asked", tc.say, o.Ticket)
				}
				if got := allText(o.Reply); !strings.Contains(got, def.ContactTextPrompt) {
					t.Fatalf("%q: got reply %q, want %q", tc.say, got, def.ContactTextPrompt)
				}
				o = e.Step(o.Conversation, turnText("010-1234-5678", "010-****-5678"))
				if o.Ticket == nil || o.Ticket.Contact != "01012345678" {
					t.Errorf("the number typed next: got ticket %+v, want contact 01012345678", o.Ticket)
				}
			})
		}
	}
}
