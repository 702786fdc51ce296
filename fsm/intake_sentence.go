package fsm

import (
	"unicode"
	"unicode/utf8"
)

// inSentence returns the one part of u that matches f's pattern when u as
// a whole does not: "주문번호는 AB-1234 이에요" and "AB-1234이에요" answer
// "AB-1234". ok only when every match of the pattern in u is the same text
// (typed twice is one answer, as oneNumber reads a phone number) and each
// stands alone: the rune before it and the rune after it are the edge of u
// or do not continue it. A rune continues a match when both it and the
// match's rune beside it are letters or digits of the same kind — both
// ASCII (_ counts, as in \w), or both not (Hangul): a space, punctuation, or a Hangul particle
// after a Latin-and-digit code ends it, while the "U" of a 21-character code
// against a 20-character pattern, or 이 after a Hangul match, does not. No
// match, two different matches, or a match that does not stand alone is
// no answer (asked again). A field without a pattern takes u whole.
func (f intakeField) inSentence(u string) (string, bool) {
	if f.find == nil {
		return "", false
	}
	found := ""
	for _, m := range f.find.FindAllStringIndex(u, -1) {
		v := u[m[0]:m[1]]
		if v == "" || !alone(u, m[0], m[1]) || (found != "" && v != found) {
			return "", false
		}
		found = v
	}
	return found, found != "" && f.fits(found)
}

// alone reports whether u[i:j] stands alone in u: neither the rune before
// it nor the rune after it continues it (inSentence).
func alone(u string, i, j int) bool {
	if i > 0 {
		before, _ := utf8.DecodeLastRuneInString(u[:i])
		first, _ := utf8.DecodeRuneInString(u[i:j])
		if continues(before, first) {
			return false
		}
	}
	if j < len(u) {
		after, _ := utf8.DecodeRuneInString(u[j:])
		last, _ := utf8.DecodeLastRuneInString(u[i:j])
		if continues(after, last) {
			return false
		}
	}
	return true
}

// continues reports whether r, next to the match's edge rune m, would run
// on into it: both are letters or digits of one kind (wordKind).
func continues(r, m rune) bool {
	k := wordKind(r)
	return k != kindNone && k == wordKind(m)
}

// Kinds of rune for the edge of an answer found in a sentence.
const (
	kindNone  = iota // a space, punctuation, a symbol
	kindASCII        // an ASCII letter, digit or _ (a word rune of \w)
	kindOther        // any other letter or digit (Hangul, full-width forms)
)

func wordKind(r rune) int {
	switch {
	case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_'):
		return kindASCII
	case unicode.IsLetter(r) || unicode.IsNumber(r):
		return kindOther
	}
	return kindNone
}
