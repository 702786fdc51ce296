package fsm

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// labelWordRunes is how far back from the cut, in runes, a label is cut at
// a space instead of inside a word ("오프라인 매장에서도 살 수 있…" becomes
// "오프라인 매장에서도 살 수…").
const labelWordRunes = 4

// truncateWords shortens s to n runes like truncateRunes, but when the cut
// falls inside a word and a space is at most labelWordRunes runes before
// it, cuts at that space; a cut that already ends a word is kept. The cut
// is never inside a grapheme cluster and the result never exceeds n runes.
func truncateWords(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := cutAt(s, n-utf8.RuneCountInString(ellipsis), false)
	if next, _ := utf8.DecodeRuneInString(s[cut:]); !unicode.IsSpace(next) {
		if i := strings.LastIndexFunc(s[:cut], unicode.IsSpace); i > 0 && utf8.RuneCountInString(s[i:cut]) <= labelWordRunes {
			cut = i
		}
	}
	return strings.TrimRightFunc(s[:cut], unicode.IsSpace) + ellipsis
}
