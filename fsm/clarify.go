package fsm

import "strings"

// clarifyChoice returns the FAQ id of the pending clarify candidate that
// utterance u (trimmed) names: its number in the clarify list ("2", "2번",
// "２", "2번이요", "두 번째요") or its question typed with any spacing and punctuation (compared as
// configs.Fold folds them). It reports false for anything else, including a
// number outside the list, so that "0" still goes home.
func (t *turn) clarifyChoice(u string) (string, bool) {
	ids := t.conv.Clarify
	if n, ok := pickNumber(u); ok {
		if n >= 1 && n <= len(ids) && t.e.faqs[ids[n-1]] != nil {
			return ids[n-1], true
		}
		return "", false
	}
	norm := t.normUtterance()
	if norm == "" {
		return "", false
	}
	for _, id := range ids {
		if f := t.e.faqs[id]; f != nil && f.folded == norm {
			return id, true
		}
	}
	return "", false
}

// typedNumber reads a typed option number: u (trimmed) as smallInt reads
// it, or up to three digits, ASCII or full-width ("１"), either one
// optionally followed by "번" ("2번", "2 번"). It does not allocate.
func typedNumber(u string) (int, bool) {
	u = strings.TrimSpace(u)
	if s, ok := strings.CutSuffix(u, "번"); ok {
		u = strings.TrimSpace(s)
	}
	if n, ok := smallInt(u); ok {
		return n, true
	}
	if u == "" || len(u) > 9 { // three full-width digits are nine bytes
		return 0, false
	}
	n, digits := 0, 0
	for _, r := range u {
		switch {
		case r >= '0' && r <= '9':
			n = n*10 + int(r-'0')
		case r >= '０' && r <= '９':
			n = n*10 + int(r-'０')
		default:
			return 0, false
		}
		digits++
	}
	if digits > 3 {
		return 0, false
	}
	return n, true
}
