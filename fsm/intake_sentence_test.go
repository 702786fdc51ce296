package fsm

import (
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
)

// TestIntakeAnswerInSentence answers the vip order field (pattern
// [A-Za-z0-9-]{4,20}, not a phone field) with the answer alone, inside a
// sentence, with a particle attached, twice, with two different
// candidates and with none: the field stores the matched part alone, and
// refuses (asks again with texts.intake_invalid) when the part is not one
// or does not stand alone.
func TestIntakeAnswerInSentence(t *testing.T) {
	def := configs.DefaultTexts()
	const refused = ""
	e := newEngine(t, intakeConfig(false), Options{})
	for _, tc := range []struct{ say, want string }{
		{"AB-1234", "AB-1234"},                 // whole match
		{"주문번호는 AB-1234 이에요", "AB-1234"},       // in a sentence
		{"주문번호는 AB-1234이에요", "AB-1234"},        // a Hangul particle attached
		{"AB-1234요", "AB-1234"},                // a particle, no sentence
		{"주문번호: AB-1234.", "AB-1234"},          // punctuation around it
		{"AB-1234 (AB-1234) 입니다", "AB-1234"},   // the same code twice is one answer
		{"AB-1234 아니면 CD-5678 이에요", refused},   // two candidates: ambiguous
		{"어제 주문했어요", refused},                  // none
		{"ABCDEFGHIJKLMNOPQRSTU 이에요", refused}, // 21 characters: the 20 found run on into the U
		{"order AB-1234 please", refused},      // Latin words match too: three candidates
		{"주문번호는 AB_1234 이에요", refused},         // "1234" runs on from "AB_": _ is a word rune, as in \w
	} {
		t.Run(tc.say, func(t *testing.T) {
			o := e.Step(inIntake("order", false), text(tc.say))
			if !o.Private {
				t.Errorf("got a public turn, want it private (it answered the order field)")
			}
			if tc.want == refused {
				if in := o.Conversation.Intake; o.IntakeAnswer != nil || in.Field != "order" || !in.Retried {
					t.Fatalf("got answer %+v, intake %+v, want order asked again (retried)", o.IntakeAnswer, in)
				}
				if got := allText(o.Reply); !strings.Contains(got, def.IntakeInvalid) {
					t.Errorf("got reply %q, want %q", got, def.IntakeInvalid)
				}
				return
			}
			if o.IntakeAnswer == nil {
				t.Fatalf("got no answer (reply %q), want %q", allText(o.Reply), tc.want)
			}
			if got := o.IntakeAnswer.Value; got != tc.want {
				t.Errorf("got answer %q, want %q", got, tc.want)
			}
			if got := o.Conversation.Intake.Field; got != "buyer" {
				t.Errorf("got field %q asked, want buyer", got)
			}
		})
	}
}
