package faq

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Normalize folds an utterance to the form the index compares: NFKC, lower
// case, punctuation and symbols dropped, laughing/crying tails (ㅋㅋ, ㅎㅎ,
// ㅠㅠ, ㅜㅜ) removed, runs of white space collapsed to one space. Hangul
// syllables are kept composed; spacing is handled later by n-grams that cross
// spaces.
func Normalize(s string) string {
	s = norm.NFKC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := true // suppress leading space
	for _, r := range s {
		switch {
		case isEmotionJamo(r):
			// ㅋㅋ/ㅎㅎ/ㅠㅠ/ㅜㅜ and friends carry no content.
			if !space {
				b.WriteByte(' ')
				space = true
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		default:
			// punctuation, symbols, spaces
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	out := b.String()
	return strings.TrimRight(out, " ")
}

// isEmotionJamo reports whether r is a standalone compatibility jamo that
// chat users repeat for laughter or tears.
func isEmotionJamo(r rune) bool {
	switch r {
	case 'ㅋ', 'ㅎ', 'ㅠ', 'ㅜ', 'ㅡ', 'ㅇ', 'ㄷ', 'ㅉ':
		return true
	}
	return false
}
