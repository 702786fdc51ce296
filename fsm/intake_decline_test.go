package fsm

import (
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
)

func TestDeclineAnswer(t *testing.T) {
	for _, tc := range []struct {
		u    string
		want bool
	}{
		{"없어요", true}, {"없습니다", true}, {"안 남길게요", true}, {"괜찮아요", true}, {"없어요~", true},
		{"주문번호 없어요", true}, {"번호는 안 남길게요", true}, {"없어요 감사합니다", true}, {"아뇨 괜찮아요", true},
		{"없어요?", false}, {"010-1234-5678", false}, {"A-1001", false}, {"김하나", false},
		{"주문번호 몰라요", true}, {"잘 모르겠어요", true}, {"기억 안 나요", true}, {"모르겠습니다", true},
		{"안 알려드릴래요", true}, {"스킵할게요", true}, {"몰라요?", false}, {"A-1001 몰라요", false},
		{"연락 안 주셔도 돼요", true}, {"안 남겨도 괜찮아요", true}, {"번호는 안주셔도 됩니다", true},
		{"안 주셔도 되나요?", false}, {"주문번호도 돼요", false}, {"010 안 주셔도 돼요", false},
		{"010 없어요", false}, {"주문번호 A-1001 없어요", false}, {"안", false}, {"", false},
		// a text turned down leaves a call: no decline of the number
		{"문자는 싫어요", false}, {"문자 싫어요", false}, {"문자는 필요없어요", false}, {"문자는 괜찮아요", true},
		{"전화번호는 싫어요", true}, {"번호는 필요없어요", true},
		// a text declined with the rest ("도"): nothing wanted
		{"문자도 필요 없어요", true}, {"연락 안 주셔도 돼요 문자도 필요 없어요", true}, {"전화도 문자도 필요 없어요", true},
		{"번호 필요 없어요", true}, {"문자 필요 없어요", false}, {"문자는 필요 없어요", false},
		{"문자도 주세요", false}, {"주문번호도 없어요 A-1001", false},
	} {
		if got := declineAnswer(tc.u); got != tc.want {
			t.Errorf("declineAnswer(%q): got %v, want %v", tc.u, got, tc.want)
		}
	}
}

// TestDeclineIntakeField checks "없어요" and its kin on the handoff intake
// (vip: an optional order number, then a required buyer name) and on the
// ticket's optional call-back number: an optional field is skipped, a
// required one asked again once, and a decline is never stored.
func TestDeclineIntakeField(t *testing.T) {
	def := configs.DefaultTexts()
	fields := newEngine(t, intakeConfig(false), Options{})
	withContact := testConfig()
	withContact.Tickets.AskContact = true
	tickets := newEngine(t, withContact, Options{})
	for _, u := range []string{"없어요", "없습니다", "안 남길게요", "괜찮아요", "주문번호는 없어요", "주문번호 몰라요", "잘 모르겠어요"} {
		t.Run(u, func(t *testing.T) {
			o := fields.Step(inIntake("order", false), text(u))
			if got, want := o.Conversation.Intake.Field, "buyer"; got != want || o.IntakeAnswer != nil {
				t.Errorf("optional order, %q: got field %q, answer %+v, want field %q and no answer", u, got, o.IntakeAnswer, want)
			}

			o = fields.Step(inIntake("buyer", false), text(u))
			if o.IntakeAnswer != nil || o.Open != nil {
				t.Errorf("required buyer, %q: got answer %+v, open %v, want neither", u, o.IntakeAnswer, o.Open != nil)
			}
			if got := o.Conversation.Intake; got.Field != "buyer" || !got.Retried {
				t.Errorf("required buyer, %q: got intake %+v, want buyer asked again (retried)", u, got)
			}
			if got := allText(o.Reply); !strings.Contains(got, buyerPrompt) {
				t.Errorf("required buyer, %q: got reply %q, want %q", u, got, buyerPrompt)
			}

			o = fields.Step(inIntake("buyer", true), text(u))
			if o.IntakeAnswer != nil || o.Open == nil {
				t.Errorf("required buyer declined twice, %q: got answer %+v, open %v, want no answer and the handoff", u, o.IntakeAnswer, o.Open != nil)
			}

			o = tickets.Step(intakeConv(IntakeContact, "환불 문의"), turnText(u, u))
			if o.Ticket == nil || o.Ticket.Contact != "" {
				t.Errorf("ticket contact, %q: got ticket %+v, want one without a contact", u, o.Ticket)
			}
			if !strings.Contains(allText(o.Reply), "접수번호") || strings.Contains(allText(o.Reply), def.ContactInvalid) {
				t.Errorf("ticket contact, %q: got reply %q, want the ticket created", u, allText(o.Reply))
			}
		})
	}
}
