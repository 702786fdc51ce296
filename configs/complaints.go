package configs

import "unicode/utf8"

// validateComplaints checks escalation.complaints like the keywords: an
// empty phrase is an error, and so is a phrase of one character, which the
// engine (fsm/complaint.go) would find at the start of too many words
// ("화" in 화면, "짱" in 짱짱한); a phrase that is also an escalation keyword
// is warned about, as the keyword already offers a human first.
func (t *tree) validateComplaints(c *Config) {
	e := c.Escalation
	keywords := make(map[string]bool, len(e.Keywords))
	for _, k := range e.Keywords {
		keywords[Fold(k)] = true
	}
	seen := make(map[string]bool, len(e.Complaints))
	for i, p := range e.Complaints {
		at := path{"escalation", "complaints", i}
		switch n := Fold(p); {
		case n == "":
			t.errAt(at, "escalation complaint %d is empty", i+1)
		case utf8.RuneCountInString(n) < 2:
			t.errAt(at, "escalation complaint %q is one character: it would match the start of too many words; use a longer phrase (짜증, 최악)", p)
		case keywords[n]:
			t.warnAt(at, "escalation complaint %q is also an escalation keyword, which already offers a human", p)
		case seen[n]:
			t.warnAt(at, "escalation complaint %q is listed twice", p)
		}
		seen[Fold(p)] = true
	}
}
