package pii

import "unicode/utf8"

// Fold returns s with its full-width digits ("０"–"９") and the non-ASCII
// separators a number is typed with — hyphens and dashes (U+2010–U+2015),
// minus (U+2212), no-break and ideographic spaces, the full-width forms
// of "()+-." and the Hangul vowel ㅡ typed as a hyphen — replaced by their
// ASCII forms; everything else is kept. It
// is what the phone masking reads as digits and separators, so a parser
// that folds first accepts exactly the characters Mask masks. s is
// returned as is when there is nothing to fold.
func Fold(s string) string {
	f, _ := fold(s)
	return f
}

// fold returns Fold(s) and, when it differs from s, at: the byte offset in
// s of the character each byte of the folded string comes from (nil when
// nothing was folded).
func fold(s string) (string, []int) {
	first := wideAt(s, 0)
	if first < 0 {
		return s, nil
	}
	b := make([]byte, 0, len(s))
	at := make([]int, 0, len(s))
	for i := 0; i < first; i++ {
		b, at = append(b, s[i]), append(at, i)
	}
	for i := first; i < len(s); {
		if s[i] < utf8.RuneSelf {
			b, at = append(b, s[i]), append(at, i)
			i++
			continue
		}
		kind, size, d := unitAt(s, i)
		switch kind {
		case unitDigit:
			b, at = append(b, d), append(at, i)
		case unitSep:
			b, at = append(b, asciiSep(s[i:i+size])), append(at, i)
		default:
			for k := range size {
				b, at = append(b, s[i+k]), append(at, i+k)
			}
		}
		i += size
	}
	return string(b), at
}

// wideAt returns the byte offset of the first full-width digit or
// non-ASCII separator in s at or after i, or -1.
func wideAt(s string, i int) int {
	for i < len(s) {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		kind, size, _ := unitAt(s, i)
		if kind == unitDigit || kind == unitSep {
			return i
		}
		i += size
	}
	return -1
}

// asciiSep is the ASCII form of the non-ASCII separator sep (see unitAt).
func asciiSep(sep string) byte {
	switch sep {
	case "（":
		return '('
	case "）":
		return ')'
	case "＋":
		return '+'
	case "．":
		return '.'
	case "\u00a0", "\u3000":
		return ' '
	}
	return '-' // hyphens, dashes, minus, '－', 'ㅡ'
}

// onFolded applies mask, which only turns ASCII digits into '*', to s with
// its wide digits and separators folded to ASCII (fold), and carries each
// new star back to s: '*' for an ASCII digit, '＊' for a full-width one, so
// the result keeps s's byte length.
func onFolded(s string, mask func(string) string) string {
	f, at := fold(s)
	if at == nil {
		return mask(s)
	}
	m := mask(f)
	if m == f {
		return s
	}
	b := []byte(s)
	for i := 0; i < len(m); i++ {
		if m[i] != '*' || f[i] == '*' {
			continue
		}
		if j := at[i]; b[j] < utf8.RuneSelf {
			b[j] = '*'
		} else {
			copy(b[j:], "＊")
		}
	}
	return string(b)
}
