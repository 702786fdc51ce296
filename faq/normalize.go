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
// NFKC maps the compatibility jamo users type (U+3131…) to conjoining
// jamo (U+1100…), so both forms are listed.
func isEmotionJamo(r rune) bool {
	switch r {
	case 'ㅋ', 'ㅎ', 'ㅠ', 'ㅜ', 'ㅡ', 'ㅇ', 'ㄷ', 'ㅉ',
		'\u110F', '\u1112', '\u1172', '\u116E', '\u1173', '\u110B', '\u1103', '\u110D':
		return true
	}
	return false
}

// appendNormalizedCompact appends to dst the runes Normalize would keep for
// s, without the spaces (the index compares space-stripped text). buf is
// scratch space for the NFKC form and is returned for reuse. It does not
// allocate once buf and dst have grown.
func appendNormalizedCompact(dst []rune, buf []byte, s string) ([]rune, []byte) {
	return appendNormalized(dst, buf, s, false)
}

// appendNormalized is appendNormalizedCompact; with spaced, word breaks
// (spaces, punctuation, dropped tails) become single spaces instead.
func appendNormalized(dst []rune, buf []byte, s string, spaced bool) ([]rune, []byte) {
	start := len(dst)
	if norm.NFKC.QuickSpanString(s) == len(s) {
		buf = append(buf[:0], s...) // already NFKC: the common case, no allocation
	} else {
		buf = norm.NFKC.AppendString(buf[:0], s)
	}
	for _, r := range string(buf) {
		if isEmotionJamo(r) || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if spaced && len(dst) > start && dst[len(dst)-1] != ' ' {
				dst = append(dst, ' ')
			}
			continue
		}
		dst = append(dst, unicode.ToLower(r))
	}
	if spaced && len(dst) > start && dst[len(dst)-1] == ' ' {
		dst = dst[:len(dst)-1]
	}
	return dst, buf
}
