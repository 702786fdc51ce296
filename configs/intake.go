package configs

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Limits of a queue's intake.
const (
	MaxIntakeFields     = 3   // fields per queue: each costs the user a turn before the handoff
	MaxIntakePrompt     = 400 // prompt runes (it shares a bubble with texts.intake_invalid)
	MaxIntakeValueRunes = 100 // a longer answer is asked again, never cut
)

// IntakeField is one question asked before a handoff to its queue opens
// ("주문번호를 알려주세요."). The answer is kept as typed, encrypted, for
// retention.contacts, and sent to the dealer and to notify sinks as
// context.intake.<name> (a pii field only to sinks with pii: true).
type IntakeField struct {
	// Name is the key in context.intake ([a-z0-9_]+, unique in the queue).
	Name string `yaml:"name"`
	// Prompt is the question, one bubble.
	Prompt string `yaml:"prompt"`
	// Pattern, when set, is a Go regular expression the trimmed answer
	// must match as a whole, or else one answer found in it as a sentence
	// word by word ("주문번호는 AB-1234이에요" answers "AB-1234", "제 이름은
	// 김철수입니다" answers "김철수" at [가-힣]{2,4}; the words of Prompt are
	// never the answer; docs/intake.md), which alone is stored; an answer
	// that fits neither way is asked again once.
	Pattern string `yaml:"pattern"`
	// Optional fields offer texts.intake_skip.
	Optional bool `yaml:"optional"`
	// PII marks personal data (a name, a phone number): only notify sinks
	// with pii: true receive it. Dealers receive every field.
	PII bool `yaml:"pii"`
	// Phone marks a number to call or text back: with a wish for a text
	// message or the chat in the same answer ("010-1234-5678 문자로 주세요")
	// the number alone is the answer, and a wish without a number asks for
	// it once more (texts.intake_text_noted).
	Phone bool `yaml:"phone"`
}

// Regexp compiles f.Pattern to match the whole answer; nil when there is no
// pattern. It returns the compile error of an invalid pattern (Load
// rejects those, so a loaded config never has one).
func (f IntakeField) Regexp() (*regexp.Regexp, error) {
	if f.Pattern == "" {
		return nil, nil
	}
	return regexp.Compile(`^(?:` + f.Pattern + `)$`)
}

var intakeNameRE = regexp.MustCompile(`^[a-z0-9_]+$`)

// validateIntake checks every queue's intake fields, and warns about a
// phone field not marked pii.
func (t *tree) validateIntake(c *Config) {
	for _, name := range t.keys(path{"handoff", "queues"}) {
		q, ok := c.Handoff.Queues[name]
		if !ok || len(q.Intake) == 0 {
			continue
		}
		ip := path{"handoff", "queues", name, "intake"}
		if len(q.Intake) > MaxIntakeFields {
			t.errAt(ip.with(MaxIntakeFields), "queue %q: %d intake fields; at most %d are allowed (each costs the user a turn)", name, len(q.Intake), MaxIntakeFields)
		}
		seen := map[string]int{}
		for i, f := range q.Intake {
			fp := ip.with(i)
			switch {
			case f.Name == "":
				t.errAtKey(fp, "queue %q: intake field %d has no name", name, i+1)
			case !intakeNameRE.MatchString(f.Name):
				t.errAt(fp.with("name"), "queue %q: intake field name %q must use only a-z, 0-9 and _", name, f.Name)
			default:
				if prev, dup := seen[f.Name]; dup {
					t.errAt(fp.with("name"), "queue %q: intake field %q is already field %d", name, f.Name, prev+1)
				}
				seen[f.Name] = i
			}
			switch n := utf8.RuneCountInString(f.Prompt); {
			case strings.TrimSpace(f.Prompt) == "":
				t.errAtKey(fp, "queue %q: intake field %d has no prompt", name, i+1)
			case n > MaxIntakePrompt:
				t.errAt(fp.with("prompt"), "queue %q: intake prompt is %d characters; the limit is %d", name, n, MaxIntakePrompt)
			}
			if _, err := regexp.Compile(f.Pattern); err != nil {
				t.errAt(fp.with("pattern"), "queue %q: intake pattern %q does not compile: %v", name, f.Pattern, err)
			} else if _, err := f.Regexp(); err != nil {
				// The engine matches the whole answer, ^(?:pattern)$: a
				// \Q with no \E compiles alone but swallows the `)$`.
				t.errAt(fp.with("pattern"), "queue %q: intake pattern %q does not compile as a whole-answer match ^(?:…)$ (close a \\Q with \\E): %v", name, f.Pattern, err)
			}
			if f.Phone && !f.PII {
				t.warnAt(fp.with("phone"), "queue %q: intake field %q is phone: true but not pii: true: a phone number is personal data, so without pii: true it goes to the notify sinks without pii (masked) and to managers in the admin API; add pii: true", name, f.Name)
			}
		}
	}
}
