package fsm

import (
	"regexp"
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
)

// TestIntakeAnswerInSentence answers the vip order field (pattern
// [A-Za-z0-9-]{4,20}, not a phone field) with the answer alone, inside a
// sentence, with a particle attached, twice, with two different
// candidates and with none, beside Latin words that match the pattern too
// (the one candidate with a digit wins) and as a question back: the field
// stores the matched part alone, and refuses (asks again with
// texts.intake_invalid) when the part is not one or does not stand alone.
func TestIntakeAnswerInSentence(t *testing.T) {
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
		{"주문번호는 AB_1234 이에요", refused},         // "1234" runs on from "AB_": _ is a word rune, as in \w
		// Latin words match the pattern too; a candidate with a digit wins
		// over those without one.
		{"order AB-1234 please", "AB-1234"},
		{"please check order AB-1234", "AB-1234"},
		{"my order number is AB-1234", "AB-1234"},
		{"주문 AB-1234 확인해주세요", "AB-1234"},
		{"주문번호는 AB-1234이고요 확인 부탁드려요", "AB-1234"},
		{"AB-1234로 주문했어요", "AB-1234"},         // 로 taken off
		{"AB-1234했어요", "AB-1234"},             // a part before a verb, standing alone
		{"주문번호:AB-1234", "AB-1234"},           // a part after a colon, standing alone
		{"order AB-1234 or CD-5678", refused}, // two candidates with a digit
		{"ABCD-1234 아니 ABCD-1243이요", refused}, // a correction is two candidates: the user settles it
		{"order number please", refused},      // three candidates, none with a digit
		{"주문번호는 AB-1234 이에요?", refused},       // a question back is no answer
		{"주문번호가 뭐예요?", refused},               // a question back
		{"코드는 ABCD 입니다", "ABCD"},              // one candidate, no digit needed
	} {
		t.Run(tc.say, func(t *testing.T) { checkIntakeReading(t, e, "order", "buyer", tc.say, tc.want) })
	}
}

// nameConfig is intakeConfig with a Hangul name field asked first at vip.
// checkIntakeReading steps e, at intake field, with say: want "" means
// the answer is refused (the field asked again with texts.intake_invalid),
// else want is the answer stored and next the field asked after it. Either
// way the turn is private.
func checkIntakeReading(t *testing.T, e *Engine, field, next, say, want string) {
	t.Helper()
	o := e.Step(inIntake(field, false), text(say))
	if !o.Private {
		t.Errorf("got a public turn, want it private (it answered the %s field)", field)
	}
	if want == "" {
		if in := o.Conversation.Intake; o.IntakeAnswer != nil || in.Field != field || !in.Retried {
			t.Fatalf("got answer %+v, intake %+v, want %s asked again (retried)", o.IntakeAnswer, in, field)
		}
		if got, invalid := allText(o.Reply), configs.DefaultTexts().IntakeInvalid; !strings.Contains(got, invalid) {
			t.Errorf("got reply %q, want %q", got, invalid)
		}
		return
	}
	if o.IntakeAnswer == nil {
		t.Fatalf("got no answer (reply %q), want %q", allText(o.Reply), want)
	}
	if got := o.IntakeAnswer.Value; got != want {
		t.Errorf("got answer %q, want %q", got, want)
	}
	if got := o.Conversation.Intake.Field; got != next {
		t.Errorf("got field %q asked, want %s", got, next)
	}
}

func nameConfig() *configs.Config {
	cfg := intakeConfig(false)
	vip := cfg.Handoff.Queues["vip"]
	vip.Intake = append([]configs.IntakeField{{Name: "name", Prompt: buyerPrompt, Pattern: "[가-힣]{2,4}", PII: true}},
		vip.Intake...)
	cfg.Handoff.Queues["vip"] = vip
	return cfg
}

// TestIntakeHangulAnswerInSentence answers a name field (pattern
// [가-힣]{2,4}, prompt "주문하신 분의 성함을 알려주세요.") in the sentences
// users type: the name is found with the copula, a quote or 요 attached
// and beside the words of the question (이름은, 성함은, 저는, the prompt's
// own 분), while a name ending in 은 keeps it; two names, a question back
// and verbs alone are refused (asked again).
func TestIntakeHangulAnswerInSentence(t *testing.T) {
	const refused = ""
	e := newEngine(t, nameConfig(), Options{})
	for _, tc := range []struct{ say, want string }{
		{"김철수", "김철수"},                // whole match
		{"제 이름은 김철수입니다", "김철수"},       // the brief's sentence: 제 and 이름은 are the question's
		{"김철수예요", "김철수"},              // copula after a vowel
		{"홍길동이에요", "홍길동"},             // copula after a consonant
		{"김철수라고 합니다", "김철수"},          // a quote, 합니다 a filler
		{"저는 홍길동이라고 해요", "홍길동"},       // 저는, a quote, 해요
		{"성함은 이영희요", "이영희"},           // 성함 (from the prompt and the list) with 은
		{"주문자는 박지민입니다", "박지민"},        // 주문자 with 는
		{"네 김철수요", "김철수"},             // 네 is a yes word
		{"김철수 입니다", "김철수"},            // the copula as a word of its own
		{"안녕하세요 김철수입니다 감사합니다", "김철수"}, // greetings and thanks around it
		{"주문하신 분 성함은 최민수예요", "최민수"},   // the prompt's own words
		{"제 이름은요 김철수", "김철수"},         // 이름은요
		{"'김철수'입니다", "김철수"},           // quoted: a part standing alone
		{"김철수로 예약했어요", "김철수"},         // 로 taken off, a verb beside it
		{"이름은 김지은", "김지은"},            // 은 is part of the name: never taken off
		{"김지은이에요", "김지은"},             // ... and 이에요 is
		{"박서아요", "박서아"},               // 아요 is 박서아 with 요, not a verb
		{"김철수 김철수예요", "김철수"},          // the same name twice is one answer
		{"김철수 아니면 이영희", refused},      // two names
		{"김철수하고 이영희요", refused},       // two names joined by 하고
		{"성함이 뭐예요?", refused},         // a question back
		{"이름을 왜 알려줘야 하죠", refused},    // a question without a question mark: verbs only
		{"이름 말해야 돼요", refused},        // verbs only
		{"이름이요", refused},             // the question's word alone
		{"김철수 말고 이영희요", refused},      // two names
		{"김철수가 주문했어요", "김철수"},         // a subject particle taken off
		{"홍길동이 주문했어요", "홍길동"},         // ... after a consonant
		{"김철수요", "김철수"},               // a whole message of one word: 요 taken off
		{"김철구요", "김철구"},               // 구요 is no ending: 철구 is a name
		{"성함", refused},               // the question's word as the whole message
	} {
		t.Run(tc.say, func(t *testing.T) { checkIntakeReading(t, e, "name", "order", tc.say, tc.want) })
	}
}

// TestIntakeAnswerAcrossWords: a pattern that allows a space finds its part
// across words in a sentence when no word gives one, under the rule of a
// part that stands alone; a part that runs on, or two, are no answer.
func TestIntakeAnswerAcrossWords(t *testing.T) {
	cfg := configs.IntakeField{Name: "card", Prompt: "카드 번호 뒤 8자리를 알려주세요.", Pattern: `\d{4} \d{4}`}
	re, err := cfg.Regexp()
	if err != nil {
		t.Fatal(err)
	}
	f := intakeField{name: cfg.Name, re: re, find: regexp.MustCompile(cfg.Pattern), asked: askedWords(cfg.Prompt)}
	for _, tc := range []struct {
		say, want string
		ok        bool
	}{
		{"1234 5678", "1234 5678", true},
		{"번호는 1234 5678이에요", "1234 5678", true},
		{"뒤 8자리는 1234 5678 입니다", "1234 5678", true},
		{"1234 56789 이에요", "", false},          // runs on into the 9
		{"1234 5678 아니면 1234 8765", "", false}, // two parts
	} {
		got, ok := f.answer(tc.say)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%q: got %q, %v; want %q, %v", tc.say, got, ok, tc.want, tc.ok)
		}
	}
}
