package fsm

import (
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
)

// TestIntakePhoneInSentence answers a phone: true intake field with real
// answers that hold the number inside a sentence and say no preference:
// the field takes the one number (as typed, or its national digits when
// only those fit the pattern) as the ticket's call-back prompt does, also
// when it is typed twice, and refuses a text with no number or with two
// different ones (asked again with texts.intake_invalid). Every turn is
// private: the text is never kept.
func TestIntakePhoneInSentence(t *testing.T) {
	def := configs.DefaultTexts()
	withPattern := func(pattern string) *configs.Config {
		cfg := phoneIntakeConfig()
		vip := cfg.Handoff.Queues["vip"]
		vip.Intake[1].Pattern = pattern
		cfg.Handoff.Queues["vip"] = vip
		return cfg
	}
	const refused = ""
	for _, set := range []struct {
		name, pattern string
		cases         []struct{ say, want string }
	}{
		{"pattern [0-9-]{9,13}", "[0-9-]{9,13}", []struct{ say, want string }{
			{"010-1234-5678로 연락 주세요", "010-1234-5678"},
			{"제 번호는 010 1234 5678 이에요", "01012345678"},
			{"01012345678 입니다", "01012345678"},
			{"제 번호는 01012345678이에요", "01012345678"},
			{"010-1234-5678", "010-1234-5678"},
			{"010-1234-5678 입니다.", "010-1234-5678"},
			{"연락처는 010.1234.5678 이에요", "01012345678"},
			{"번호는 (02) 123-4567 입니다", "021234567"},
			{"＋８２ １０ １２３４ ５６７８로 주세요", "01012345678"},
			{"주문번호 20261122-0001234, 연락처 010 1234 5678", "01012345678"},
			{"010–1234–5678 으로 전화 부탁드려요", "010-1234-5678"}, // en dashes folded
			{"010-1234-5678 아니면 010-2345-6789로 주세요", refused},
			{"010-1234-5678 010-1234-5678", "010-1234-5678"},
			{"010-1234-5678 (010-1234-5678)", "010-1234-5678"},
			{"01012345678 010-1234-5678 이요", "01012345678"},
			{"+82 10-1234-5678 (010-1234-5678)", "01012345678"}, // the first as typed does not fit: its digits
			{"010-1234-5678 (010-1234-5679)", refused},
			{"내일 오전에 전화 주세요", refused},
			{"주문번호 20261122-0001234로 확인해 주세요", refused},
			{"공일공 1234 5678 이요", refused},
		}},
		{"no pattern", "", []struct{ say, want string }{
			{"01012345678 입니다", "01012345678"},
			{"제 번호는 010 1234 5678 이에요", "010 1234 5678"},
			{"내일 오전에 전화 주세요", refused},
			{"010-1234-5678이나 02-123-4567로 주세요", refused},
			{"010 1234 5678 (010-1234-5678)", "010 1234 5678"}, // the first, as typed
		}},
		{"pattern with dashes", "010-[0-9]{4}-[0-9]{4}", []struct{ say, want string }{
			{"010-1234-5678로 연락 주세요", "010-1234-5678"},
			{"01012345678 입니다", refused}, // neither as typed nor in digits
		}},
	} {
		e := newEngine(t, withPattern(set.pattern), Options{})
		for _, tc := range set.cases {
			t.Run(set.name+"/"+tc.say, func(t *testing.T) {
				o := e.Step(inIntake("phone", false), text(tc.say))
				if !o.Private {
					t.Errorf("got a public turn, want it private (it answered the phone field)")
				}
				got := allText(o.Reply)
				if tc.want == refused {
					if in := o.Conversation.Intake; o.IntakeAnswer != nil || o.Open != nil || in.Field != "phone" || !in.Retried {
						t.Fatalf("got answer %+v, open %v, intake %+v, want phone asked again (retried)", o.IntakeAnswer, o.Open != nil, in)
					}
					if !strings.Contains(got, def.IntakeInvalid) {
						t.Errorf("got reply %q, want %q", got, def.IntakeInvalid)
					}
					return
				}
				if o.IntakeAnswer == nil || o.IntakeAnswer.Name != "phone" || o.IntakeAnswer.Value != tc.want || !o.IntakeAnswer.PII {
					t.Fatalf("got answer %+v, reply %q, want phone = %q (pii)", o.IntakeAnswer, got, tc.want)
				}
				if o.Open == nil || o.Open.ContactPref != "" {
					t.Errorf("got open %+v, want the handoff with no contact preference", o.Open)
				}
			})
		}
	}
}

// TestIntakePhoneRefusedTwice: a second answer without one number leaves
// the phone field out, as a second misfit of any field does; the handoff
// opens without it.
func TestIntakePhoneRefusedTwice(t *testing.T) {
	e := newEngine(t, phoneIntakeConfig(), Options{})
	o := e.Step(inIntake("phone", true), text("010-1234-5678 아니면 010-2345-6789로 주세요"))
	if !o.Private || o.IntakeAnswer != nil || o.Open == nil {
		t.Errorf("got private %v, answer %+v, open %v; want a private turn, no answer, the handoff open", o.Private, o.IntakeAnswer, o.Open != nil)
	}
}
