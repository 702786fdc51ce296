package fsm

import (
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
)

// TestPlaceholderPhone: at the ticket's call-back number prompt,
// "000-0000-0000" — what Korean users habitually type into a phone field
// they do not want to fill — is no number: texts.contact_invalid and the
// prompt again (with 건너뛰기), no ticket yet. It was accepted: the ticket
// was stored with contact "00000000000" (encrypted, kept
// retention.contacts) that no one can call. A call-back number needs a
// known Korean prefix (pii.PhoneDigits); real numbers of every kind still
// count.
func TestPlaceholderPhone(t *testing.T) {
	def := configs.DefaultTexts()
	e, contact := exampleContactPrompt(t)
	for _, say := range []string{"000-0000-0000", "0000000000", "00000000000", "000 0000 0000", "099-1234-5678",
		"012-345-6789", "000-0000-0000으로 주세요"} {
		got := e.Step(contact.Conversation, ticketText(say))
		if got.Ticket != nil {
			t.Errorf("%q at the contact prompt: got a ticket with contact %q; want texts.contact_invalid, asked again",
				say, got.Ticket.Contact)
			continue
		}
		if !strings.Contains(allText(got.Reply), def.ContactInvalid) || got.Conversation.Intake != contact.Conversation.Intake {
			t.Errorf("%q at the contact prompt: got %+v intake %+v %q; want texts.contact_invalid, the intake kept",
				say, got.Record, got.Conversation.Intake, allText(got.Reply))
		}
	}
	for say, want := range map[string]string{
		"010-1234-5678": "01012345678", "02-123-4567": "021234567", "031-123-4567": "0311234567",
		"0505-123-4567": "05051234567", "070-1234-5678": "07012345678", "080-123-4567": "0801234567",
		"+82 10-1234-5678": "01012345678", "011-123-4567": "0111234567", "010-1234-5678로 연락 주세요": "01012345678",
	} {
		got := e.Step(contact.Conversation, ticketText(say))
		if got.Ticket == nil || got.Ticket.Contact != want {
			t.Errorf("%q at the contact prompt: got %+v ticket %+v; want a ticket with contact %s", say, got.Record, got.Ticket, want)
		}
	}
}

// TestPlaceholderPhoneAtIntakeField: a phone: true intake field whose
// pattern a placeholder fits ([0-9-]{9,13}) does not take one as its
// answer either: it is asked again, as any answer that does not fit.
func TestPlaceholderPhoneAtIntakeField(t *testing.T) {
	e := newEngine(t, phoneIntakeConfig(), Options{})
	for _, say := range []string{"000-0000-0000", "0000000000", "000-0000-0000으로 연락 주세요"} {
		o := e.Step(inIntake("phone", false), text(say))
		if o.IntakeAnswer != nil || o.Open != nil || o.Conversation.Intake.Field != "phone" || !o.Conversation.Intake.Retried {
			t.Errorf("%q at the phone field: got answer %+v, open %v, intake %+v; want it asked again",
				say, o.IntakeAnswer, o.Open != nil, o.Conversation.Intake)
		}
	}
	o := e.Step(inIntake("phone", false), text("010-1234-5678"))
	if o.IntakeAnswer == nil || o.IntakeAnswer.Value != "010-1234-5678" {
		t.Errorf("010-1234-5678 at the phone field: got answer %+v, want it taken", o.IntakeAnswer)
	}
}
