package pii

// Korean numbers written for abroad: "+82 10-1234-5678", "+82 (0)2 123
// 4567", with the international call prefix "0082 10 1234 5678", or with a
// bare country code "82 10 1234 5678". The masking keeps the country code
// readable (+82 **-****-****, 0082 **-****-****) and the contact step
// (PhoneDigits) reads them in the national form (01012345678).

// international reads d, the digits of a run or of a stretch of groups, as
// a number written in international form for Korea: after a '+' (plus),
// after the call prefix 00 ("0082…"), or with 82 typed as a group of its
// own before at least two more, the first of them an area or carrier code
// of 1 to 3 digits (first and second are the lengths of d's first two
// groups, groups how many groups d has: "82-20261122" and "82 2026 1122"
// are more likely order numbers than 02-2026-1122). It returns the national
// form (national: 010…, a trunk 0 after 82 dropped), how many leading
// digits of d are the international prefix (cc: 2 or 4, those that stay
// readable), and strict: a bare 82, which may open any run of digits,
// counts only before a number with a known prefix (isPhone). ok is false
// when d is not written so.
func international(d []byte, plus bool, first, second, groups int, buf *[maxTypedDigits]byte) (nd []byte, cc int, strict, ok bool) {
	switch {
	case len(d) > 4 && d[0] == '0' && d[1] == '0' && d[2] == '8' && d[3] == '2':
		cc = 4
	case plus:
		cc = 2
	case first == 2 && groups >= 3 && second >= 1 && second <= 3:
		cc, strict = 2, true
	default:
		return nil, 0, false, false
	}
	nd, ok = national(d[cc-2:], buf)
	return nd, cc, strict, ok && len(d) > cc
}

// typedIntl reports whether nd, the national form of a number written in
// international form, is taken as a phone number typed alone: as a
// domestic one (isTyped), or, strict, only with a known prefix (isPhone).
func typedIntl(nd []byte, strict bool) bool {
	if strict {
		return isPhone(nd)
	}
	return isTyped(nd)
}

// PhoneDigits returns the digits of s when s, as a whole, is one Korean
// phone number as a user types it — digits with any of "-. ()+" (their
// full-width forms and dashes folded first, as Fold does), domestic
// ("010-1234-5678": 9 to 11 digits) or international ("+82 10 1234 5678",
// "0082 10-1234-5678", "82 10 1234 5678"), with a known prefix (isPhone:
// 01x, 02, 03x–06x, 050x, 070, 080) — in the national form
// ("01012345678"). ok is false for anything else, among it the
// placeholders typed into a phone field not to fill it ("000-0000-0000",
// "0000000000"), which no one can call. Mask masks every number
// PhoneDigits accepts, alone or in a sentence (and more: any 9 to 11
// digits led by 0, isTyped).
func PhoneDigits(s string) (digits string, ok bool) {
	s = Fold(s)
	var d [maxTypedDigits]byte
	n, plus, first, firstTwo, groups := 0, false, 0, 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			if n == len(d) {
				return "", false
			}
			if i == 0 || s[i-1] < '0' || s[i-1] > '9' {
				groups++
			}
			d[n] = c
			n++
		case c == '-' || c == ' ' || c == '.' || c == '(' || c == ')' || c == '+':
			switch {
			case c == '+' && n == 0:
				plus = true
			case n > 0 && first == 0:
				first = n
			case n > first && firstTwo == 0:
				firstTwo = n
			}
		default:
			return "", false
		}
	}
	if first == 0 {
		first = n
	} else if firstTwo == 0 {
		firstTwo = n
	}
	var buf [maxTypedDigits]byte
	if nd, _, _, ok := international(d[:n], plus, first, firstTwo-first, groups, &buf); ok {
		if isPhone(nd) && len(nd) <= 11 { // a known prefix, strict or not (typedIntl)
			return string(nd), true
		}
		if plus {
			// As Mask: a number after '+' that is no Korean number is
			// not read as a domestic one ("+0082 91206").
			return "", false
		}
	}
	if n < 9 || n > 11 || !isPhone(d[:n]) {
		return "", false
	}
	return string(d[:n]), true
}
