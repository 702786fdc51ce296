package configs

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// shortKeywordRunes mirrors the engine's rule (fsm/keywords.go): an
// escalation keyword of one or two Hangul syllables counts only as the
// first word of a message; a longer one counts anywhere in it.
const shortKeywordRunes = 2

// isShortKeyword reports whether the folded keyword k is matched as a word
// (one or two Hangul syllables) rather than as a substring.
func isShortKeyword(k string) bool {
	if k == "" || utf8.RuneCountInString(k) > shortKeywordRunes {
		return false
	}
	for _, r := range k {
		if r < 0xAC00 || r > 0xD7A3 {
			return false
		}
	}
	return true
}

// keywordInLabel reports whether the engine would find the folded keyword k
// in a message that starts with label: anywhere in it for a long keyword,
// as the label's first word for a short one.
func keywordInLabel(k, label string) bool {
	if !isShortKeyword(k) {
		return strings.Contains(Fold(label), k)
	}
	words := strings.Fields(label)
	return len(words) > 0 && Fold(words[0]) == k
}

// validateKeywordLabels warns about escalation keywords that are menu words:
// a keyword found in the label of a goto, FAQ, text or link option. Typing
// the label alone still selects the option, but a short message about it
// ("배송 조회 해주세요") holds the keyword and is handed to an agent instead
// of being answered by the menu or the FAQ. Handoff options are left out: a
// keyword in "상담원 연결" is what keywords are for.
func (t *tree) validateKeywordLabels(c *Config) {
	for i, kw := range c.Escalation.Keywords {
		k := Fold(kw)
		if k == "" {
			continue
		}
		if where := t.labelWithKeyword(c, k); where != "" {
			t.warnAt(path{"escalation", "keywords", i},
				"escalation keyword %q is in the label %s: a short message about it is handed to an agent instead of being answered by the menu or FAQ; keep keywords to words that ask for a person (상담원, 사람)",
				kw, where)
		}
	}
}

// labelWithKeyword describes the first goto, FAQ, text or link option (in
// file order) whose label holds the folded keyword k, or returns "".
func (t *tree) labelWithKeyword(c *Config, k string) string {
	for _, name := range t.menuOrder(c) {
		m := c.Menus[name]
		if m == nil {
			continue
		}
		for i, o := range m.Options {
			if o.Handoff != "" || o.Back || o.Home || !keywordInLabel(k, o.Label) {
				continue
			}
			who := fmt.Sprintf("option %d", i+1)
			if o.ID != "" {
				who = fmt.Sprintf("option %q", o.ID)
			}
			return fmt.Sprintf("%q of %s in menu %q", o.Label, who, name)
		}
	}
	return ""
}
