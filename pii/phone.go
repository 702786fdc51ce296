package pii

import "unicode/utf8"

// Phone numbers are found by a scan rather than a regular expression: users
// type them with any number of separators ("010 - 1234 - 5678",
// "(010) 1234-5678"), smart punctuation (en dashes) and full-width digits
// ("０１０-１２３４-５６７８"), and the contact step (fsm), reading through Fold, accepts every
// arrangement of digits and "-. ()+" that makes a Korean number.
//
// A run is a stretch of digits and separators; a group is a stretch of
// digits inside a run. A run whose digits as a whole are a phone number is
// masked whole; otherwise each group-aligned stretch of the run that is a
// phone number with a known prefix is.

// Kinds of text unit the scan sees. A '*' is a digit already masked (by an
// earlier pattern, or an earlier Mask): it takes a digit's place in runs and
// groups, so masking again finds the same numbers (Mask is idempotent), but
// no number starts with it.
const (
	unitOther = iota
	unitDigit
	unitStar
	unitSep
)

// maxPhoneDigits is the most digits a phone number has (0504-1234-5678);
// written international, up to four more (0082 (0)504 1234 5678).
const (
	maxPhoneDigits = 12
	maxTypedDigits = maxPhoneDigits + 4
)

// unitAt classifies the character at s[i]: its kind, its byte size and, for
// a digit (ASCII or full-width), its ASCII value.
func unitAt(s string, i int) (kind, size int, d byte) {
	c := s[i]
	switch {
	case c >= '0' && c <= '9':
		return unitDigit, 1, c
	case c == '*':
		return unitStar, 1, '*'
	case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '+':
		return unitSep, 1, 0
	case c < utf8.RuneSelf:
		return unitOther, 1, 0
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	switch {
	case r >= '０' && r <= '９':
		return unitDigit, n, byte('0' + r - '０')
	case r == '＊':
		return unitStar, n, '*'
	case r == '\u00a0', r >= '\u2010' && r <= '\u2015', r == '\u2212', r == '\u3000',
		r == '（', r == '）', r == '＋', r == '－', r == '．', r == 'ㅡ':
		// no-break space, hyphens and dashes, minus, ideographic space,
		// the full-width forms of "()+-.", and the Hangul vowel ㅡ (U+3161),
		// which Korean phone keyboards put where the hyphen is hard to
		// reach: "010ㅡ1234ㅡ5678" is a phone number as users type it.
		return unitSep, n, 0
	}
	return unitOther, n, 0
}

// isPlus reports whether the separator at s[i] is a plus sign.
func isPlus(s string, i int) bool {
	return s[i] == '+' || (s[i] == 0xEF && i+2 < len(s) && s[i+1] == 0xBC && s[i+2] == 0x8B) // '＋'
}

// isPhone reports whether the digits d are a Korean phone number with a
// known prefix: mobile 01x, Seoul 02, the regions 03x–06x, 070 and 080,
// and 050x safe numbers.
func isPhone(d []byte) bool {
	n := len(d)
	if n < 9 || n > maxPhoneDigits || d[0] != '0' {
		return false
	}
	switch d[1] {
	case '1':
		return (d[2] == '0' || d[2] == '1' || d[2] >= '6') && n >= 10 && n <= 11
	case '2':
		return n <= 10
	case '5':
		if d[2] == '0' {
			return n >= 11
		}
		return n <= 11
	case '3', '4', '6':
		return n <= 11
	case '7', '8':
		return d[2] == '0' && n >= 10 && n <= 11
	}
	return false
}

// isTyped reports whether the digits d are masked as a phone number when
// typed alone: any 9 to 11 digits led by 0, or a number with a known
// prefix. The contact step (PhoneDigits) takes only the latter.
func isTyped(d []byte) bool {
	return (len(d) >= 9 && len(d) <= 11 && d[0] == '0') || isPhone(d)
}

// national turns the digits of an international number (from its 82) into
// the national form: 82 10… → 010…, 82 (0)10… → 010…. ok is false when d
// does not start with 82.
func national(d []byte, buf *[maxTypedDigits]byte) ([]byte, bool) {
	if len(d) < 3 || d[0] != '8' || d[1] != '2' {
		return nil, false
	}
	rest := d[2:]
	if rest[0] == '0' {
		rest = rest[1:]
	}
	buf[0] = '0'
	n := copy(buf[1:], rest)
	return buf[:1+n], true
}

// maskPhones stars the phone numbers in s, keeping the area or carrier
// prefix (010-****-****, 02-***-****) or "+82". s is returned as is when
// it has none.
func maskPhones(s string) string {
	var h phoneHits
	scanPhones(s, &h)
	if h.b == nil {
		return s
	}
	return string(h.b)
}

// phoneHits receives the numbers the scan finds: Mask stars them into b (a
// copy of s, made at the first number found); PhoneNumbers (find) notes
// their spans instead.
type phoneHits struct {
	b     []byte
	find  bool
	spans []phoneSpan
}

// phoneSpan is a number found in s[start:end]; plus says a '+' before
// start belongs to it.
type phoneSpan struct {
	start, end int
	plus       bool
}

// hit takes the number in s[start:end], whose first keep digits stay
// readable when masked.
func (h *phoneHits) hit(s string, start, end, keep int, plus bool) {
	if h.find {
		h.spans = append(h.spans, phoneSpan{start: start, end: end, plus: plus})
		return
	}
	h.b = starFrom(s, start, end, keep, h.b)
}

// scanPhones hands every phone number in s to h.
func scanPhones(s string, h *phoneHits) {
	for i := 0; i < len(s); {
		kind, size, _ := unitAt(s, i)
		if kind == unitOther {
			i += size
			continue
		}
		end := i + size
		for end < len(s) {
			k, n, _ := unitAt(s, end)
			if k == unitOther {
				break
			}
			end += n
		}
		maskRun(s, i, end, h)
		i = end
	}
}

// maskRun hands the phone numbers in the run s[start:end] to h.
func maskRun(s string, start, end int, h *phoneHits) {
	var digits [maxTypedDigits + 1]byte
	var buf [maxTypedDigits]byte
	n, plus, first, firstTwo, groups := 0, false, 0, 0, 0
	prevDigit := false
	for i := start; i < end; {
		kind, size, d := unitAt(s, i)
		if numeric(kind) {
			if n > maxTypedDigits {
				break
			}
			if !prevDigit {
				groups++
			}
			digits[n] = d
			n++
		} else if n == 0 && isPlus(s, i) {
			plus = true
		} else if n > 0 && first == 0 {
			first = n
		} else if n > first && firstTwo == 0 {
			firstTwo = n
		}
		prevDigit = numeric(kind)
		i += size
	}
	if first == 0 {
		first = n
	} else if firstTwo == 0 {
		firstTwo = n
	}
	if n < 9 {
		return
	}
	if n > maxTypedDigits {
		maskRunGroups(s, start, end, h)
		return
	}
	d := digits[:n]
	if nd, cc, strict, ok := international(d, plus, first, firstTwo-first, groups, &buf); ok {
		// Before the contact step dropped the trunk 0, it read +82 0… as
		// 00…: either reading still makes a number.
		if typedIntl(nd, strict) || (!strict && d[cc] == '0' && isTyped(append(nd[:1], d[cc:]...))) {
			h.hit(s, start, end, cc, false)
			return
		}
		if plus {
			maskRunGroups(s, start, end, h)
			return
		}
	}
	if isTyped(d) {
		h.hit(s, start, end, prefixLen(d), false)
		return
	}
	maskRunGroups(s, start, end, h)
}

// maskRunGroups hands h each stretch of whole groups in the run
// s[start:end] that is a phone number with a known prefix (isPhone): from
// each group start, left to right, the longest such stretch.
func maskRunGroups(s string, start, end int, h *phoneHits) {
	plus := false      // a '+' (then maybe spaces or '(') before this unit
	prevDigit := false // the unit before is a digit
	for g := start; g < end; {
		kind, size, _ := unitAt(s, g)
		switch {
		case kind == unitSep:
			switch {
			case isPlus(s, g):
				plus = true
			case s[g] != ' ' && s[g] != '(':
				plus = false
			}
		case kind == unitDigit && !prevDigit:
			if stop, keep := phoneFrom(s, g, end, plus); stop > 0 {
				h.hit(s, g, stop, keep, plus)
				g, plus, prevDigit = stop, false, false
				continue
			}
			plus = false
		default:
			plus = false
		}
		prevDigit = kind == unitDigit
		g += size
	}
}

// numeric reports whether kind takes a digit's place.
func numeric(kind int) bool { return kind == unitDigit || kind == unitStar }

// phoneFrom returns where the longest phone number (isPhone) that starts
// at the digit at s[g] and ends where a group ends stops in s[:end], and
// how many of its digits stay readable; stop is 0 when there is none. plus
// says a '+' comes before it.
func phoneFrom(s string, g, end int, plus bool) (stop, keep int) {
	var digits [maxTypedDigits]byte
	var buf [maxTypedDigits]byte
	n, first, firstTwo, groups := 0, 0, 0, 0
	for i := g; i < end; {
		k, size, d := unitAt(s, i)
		i += size
		if !numeric(k) {
			continue
		}
		if n == maxTypedDigits {
			break
		}
		digits[n] = d
		n++
		if i < end {
			if k2, _, _ := unitAt(s, i); numeric(k2) {
				continue // inside a group
			}
		}
		if groups++; first == 0 {
			first = n
		} else if groups == 2 {
			firstTwo = n
		}
		num, kp := digits[:n], prefixLen(digits[:n])
		if nd, cc, _, ok := international(num, plus, first, firstTwo-first, groups, &buf); ok {
			num, kp = nd, cc
		}
		if isPhone(num) {
			stop, keep = i, kp
		}
	}
	return stop, keep
}

// prefixLen is how many leading digits of a phone number stay readable:
// 2 for Seoul (02), else 3.
func prefixLen(d []byte) int {
	if len(d) > 1 && d[0] == '0' && d[1] == '2' {
		return 2
	}
	return 3
}

// starFrom replaces every digit of s[start:end] but the first keep (a '*'
// counts as one) with
// '*' ('＊' for a full-width digit, so the byte length stays), in b, a copy
// of s made when b is nil, and returns b.
func starFrom(s string, start, end, keep int, b []byte) []byte {
	if b == nil {
		b = []byte(s)
	}
	for i := start; i < end; {
		kind, size, _ := unitAt(s, i)
		if numeric(kind) {
			if keep > 0 {
				keep--
			} else if kind == unitStar {
				// already masked
			} else if size == 1 {
				b[i] = '*'
			} else {
				copy(b[i:i+size], "＊")
			}
		}
		i += size
	}
	return b
}
