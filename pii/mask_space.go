package pii

import (
	"unicode"
	"unicode/utf8"
)

// Numbers typed over lines. A user leaving a message often puts a number on
// lines of its own ("카드번호\n4111 1111\n1111 1111", "010\n1234\n5678") or
// between tabs or runs of spaces. Mask reads any run of white space between
// digit groups as one separator, as if the user had typed a single space:
// it masks the text as typed and the text with each white space run joined
// to one space (joined), and stars what either pass stars. The first pass
// masks every number a line holds on its own ("02\n010-1234-5678": the
// mobile number of the second line, whose last four digits a reading
// across both lines, as a Seoul number 02-010-1234, would leave); the
// second finds the numbers split over lines, so that what agents see once
// a sink folds the text onto one line (strings.Fields) is masked at least
// as the folded text would be. The white space itself stays as typed.

// spaceAt returns the byte size of the white space character (unicode.IsSpace,
// as strings.Fields reads it) at s[i], or 0 when s[i] starts none.
func spaceAt(s string, i int) int {
	switch c := s[i]; {
	case c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r':
		return 1
	case c < utf8.RuneSelf:
		return 0
	case c != 0xC2 && c != 0xE1 && c != 0xE2 && c != 0xE3:
		// Only U+0085, U+00A0 (C2), U+1680 (E1), U+2000–U+205F (E2) and
		// U+3000 (E3) are white space outside ASCII: Hangul (EA–ED) is
		// never decoded here.
		return 0
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	if unicode.IsSpace(r) {
		return n
	}
	return 0
}

// spaceEnd returns where the white space run starting at s[i] ends.
func spaceEnd(s string, i int) int {
	for i < len(s) {
		n := spaceAt(s, i)
		if n == 0 {
			break
		}
		i += n
	}
	return i
}

// hasWideSpace reports whether s has a white space run other than one
// space: a line break, a tab, two spaces… A lone no-break or ideographic
// space counts as one space (fold reads both so).
func hasWideSpace(s string) bool {
	for i := 0; i < len(s); {
		n := spaceAt(s, i)
		if n == 0 {
			i++
			continue
		}
		end := spaceEnd(s, i)
		if end-i != n || !(s[i] == ' ' || s[i:end] == "\u00a0" || s[i:end] == "\u3000") {
			return true
		}
		i = end
	}
	return false
}

// joined returns s with every white space run replaced by one ' '.
func joined(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		if spaceAt(s, i) > 0 {
			b = append(b, ' ')
			i = spaceEnd(s, i)
			continue
		}
		b = append(b, s[i])
		i++
	}
	return string(b)
}

// onJoined applies mask, which only turns characters into '*' or '＊'
// (keeping the byte length), to s with its white space runs joined
// (joined), and carries each change into m, s masked as typed (of s's
// length), whose white space stays as typed. Both read s itself, so
// what Mask stars is what either pass stars: folding its output onto one
// line shows nothing that masking the folded text would star.
func onJoined(s, m string, mask func(string) string) string {
	j := joined(s)
	mj := mask(j)
	if mj == j {
		return m
	}
	var b []byte
	for i, k := 0, 0; i < len(s); {
		if spaceAt(s, i) > 0 {
			i, k = spaceEnd(s, i), k+1 // one ' ' in j
			continue
		}
		if mj[k] != j[k] && mj[k] != m[i] {
			if b == nil {
				b = []byte(m)
			}
			b[i] = mj[k]
		}
		i, k = i+1, k+1
	}
	if b == nil {
		return m
	}
	return string(b)
}
