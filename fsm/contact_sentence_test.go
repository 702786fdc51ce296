package fsm

import (
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
)

// TestContactInSentence checks the ticket's call-back number typed inside a
// sentence: one number is taken (in the national form), also when it is
// typed twice, in one form or two; two different numbers or none ask again
// with texts.contact_invalid, and the turn stays private either way.
func TestContactInSentence(t *testing.T) {
	def := configs.DefaultTexts()
	cfg := testConfig()
	cfg.Tickets.AskContact = true
	e := newEngine(t, cfg, Options{})
	for _, tc := range []struct {
		say, want string // want "": asked again
	}{
		{"010-1234-5678로 연락 주세요", "01012345678"},
		{"제 번호는 01012345678이에요", "01012345678"},
		{"번호는 (02) 123-4567 입니다", "021234567"},
		{"＋８２ １０ １２３４ ５６７８로 주세요", "01012345678"},
		{"주문번호 20261122-0001234, 연락처 010 1234 5678", "01012345678"},
		{"010-1234-5678 아니면 010-2345-6789로 주세요", ""},
		{"010-1234-5678 010-1234-5678", "01012345678"},
		{"010-1234-5678 (010-1234-5678)", "01012345678"},
		{"01012345678 010-1234-5678 이요", "01012345678"},
		{"+82 10-1234-5678 (010-1234-5678)", "01012345678"},
		{"010-1234-5678, 010 1234 5678 둘 다 같은 번호예요", "01012345678"},
		{"010-1234-5678 (010-1234-5679)", ""},
		{"02-123-4567 (02-123-4567) 010-1234-5678", ""},
		{"내일 오전에 전화 주세요", ""},
		{"주문번호 20261122-0001234로 확인해 주세요", ""},
	} {
		t.Run(tc.say, func(t *testing.T) {
			o := e.Step(intakeConv(IntakeContact, "환불 문의"), turnText(tc.say, "masked"))
			if !o.Private {
				t.Errorf("%q: got a public turn, want it private (it answered the contact prompt)", tc.say)
			}
			if tc.want == "" {
				if o.Ticket != nil {
					t.Errorf("%q: got a ticket, want the number asked again", tc.say)
				}
				if got := allText(o.Reply); !strings.Contains(got, def.ContactInvalid) {
					t.Errorf("%q: got reply %q, want %q", tc.say, got, def.ContactInvalid)
				}
				return
			}
			if o.Ticket == nil {
				t.Fatalf("%q: got no ticket (reply %q), want one with contact %s", tc.say, allText(o.Reply), tc.want)
			}
			if o.Ticket.Contact != tc.want {
				t.Errorf("%q: got contact %q, want %q", tc.say, o.Ticket.Contact, tc.want)
			}
		})
	}
}
