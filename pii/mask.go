package pii

import (
	"regexp"
	"strings"
)

// Personal data patterns. Masking keeps the shape ("010-****-****") so
// agents can still tell what the user typed; only digits (and an e-mail's
// local part) become '*' (a full-width digit '＊'), so a
// masked string has the byte length of the original.
var (
	reEmail = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	// 주민등록번호 / 외국인등록번호 with the hyphen; without it, see reDigits13.
	reRRN      = regexp.MustCompile(`\b\d{6}\s?-\s?[1-8]\d{6}\b`)
	reDigits13 = regexp.MustCompile(`\b\d{13}\b`)
	// The same typed with a space for the hyphen ("900101 1234567"): taken
	// only when its front is a date (isRRN), as bare digits are.
	reRRNSpaced = regexp.MustCompile(`\b\d{6} [1-8]\d{6}\b`)
	// A run of digit groups, each separated by one space or a hyphen with
	// at most one space on either side ("4111 - 1111", as phone numbers and
	// 주민등록번호 are also typed): where a card number hides (maskCards
	// tries its groups).
	reDigitRun = regexp.MustCompile(`\b\d+(?:(?: ?- ?| )\d+)*\b`)
	// Phone numbers: see maskPhones.
	reAcct = regexp.MustCompile(`\b\d{2,6}-\d{2,6}-\d{2,8}(?:-\d{1,6})?\b`)
	// A bare run of digits is an account number only right after a word
	// that says so: "계좌 110123456789", "환불은 3333-01-2345678로".
	// The gap before the digits holds no digit and no '*' (a number masked
	// already is not skipped over to the next, so Mask is idempotent).
	reAcctWord = regexp.MustCompile(`(?:계좌|통장|입금|환불|송금|이체)([^\d*＊]{0,12}?)(\d[\d -]{8,18}\d)`)
	// An order number: a date (YYYYMMDD) then a hyphen and digits.
	reOrderNo = regexp.MustCompile(`^(?:19|20)\d{6}-\d+$`)
	reDate    = regexp.MustCompile(`^(?:(?:19|20)\d{2}|\d{2})-(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12]\d|3[01])$`)
)

// Mask replaces personal data in s with asterisks, keeping separators and
// the byte length. It is cheap for the common case of a short utterance
// without digits or '@'. Mask is idempotent, and leaves dates
// (2026-11-22), order numbers (20261122-0001234) and prices alone. Any run
// of white space between digit groups — a line break, a tab, two spaces —
// separates them as one space does (mask_space.go): "010\n1234\n5678" is a
// phone number, kept on its three lines.
func Mask(s string) string {
	m, wide := maskOnce(s)
	if !wide || m == s {
		return m
	}
	// Starred digits can let a pattern reach what it did not before (a
	// shorter run that passes Luhn, a line's number now beside the stars
	// of the next): mask again until nothing changes, so that Mask stays
	// idempotent. Each round only adds stars; most texts take one more.
	for range maxJoinedRounds {
		next, _ := maskOnce(m)
		if next == m {
			break
		}
		m = next
	}
	return m
}

// maxJoinedRounds bounds the rounds Mask adds for text with white space runs.
const maxJoinedRounds = 8

// maskOnce masks s once: as typed, and, when s has a white space run other
// than one space (wide: mask_space.go), also with every run joined to one
// space.
func maskOnce(s string) (m string, wide bool) {
	hasAt := strings.IndexByte(s, '@') >= 0
	n := digits(s)
	if !hasAt && n < minSensitiveDigits {
		return s, false // "1", "3번", "2개 주문했어요": nothing personal can hide here
	}
	m = mask(s, hasAt, n)
	if !hasWideSpace(s) {
		return m, false
	}
	return onJoined(s, m, func(j string) string { return mask(j, hasAt, n) }), true
}

// mask is Mask on s, which has n digits (hasAt: an '@'), reading only a
// single space between digit groups as a separator.
func mask(s string, hasAt bool, n int) string {
	if hasAt {
		s = reEmail.ReplaceAllStringFunc(s, maskEmail)
	}
	// Each pattern runs only when the text has what it needs: most
	// utterances with digits are short order numbers, dates or prices.
	// 주민등록번호, card and account numbers are matched with full-width
	// digits and dashes read as ASCII (onFolded, fold.go).
	s = onFolded(s, func(f string) string { return maskIDs(f, n) })
	if n >= 9 { // the shortest phone number, 02-123-4567
		s = maskPhones(s)
	}
	return onFolded(s, func(f string) string { return maskAccounts(f, n) })
}

// maskIDs stars the 주민등록번호 and card numbers in s, which has n digits.
func maskIDs(s string, n int) string {
	if strings.IndexByte(s, '-') >= 0 {
		s = reRRN.ReplaceAllStringFunc(s, stars)
	}
	if n >= 13 {
		s = reDigitRun.ReplaceAllStringFunc(s, maskCards)
		rrn := func(m string) string {
			if isRRN(onlyDigits(m)) {
				return stars(m)
			}
			return m
		}
		s = reDigits13.ReplaceAllStringFunc(s, rrn)
		if strings.IndexByte(s, ' ') >= 0 {
			s = reRRNSpaced.ReplaceAllStringFunc(s, rrn)
		}
	}
	return s
}

// maskAccounts stars the bank account numbers in s, which has n digits:
// hyphenated ones (not dates), and bare ones after a word that says so.
func maskAccounts(s string, n int) string {
	if strings.IndexByte(s, '-') >= 0 {
		s = reAcct.ReplaceAllStringFunc(s, func(m string) string {
			if reDate.MatchString(m) {
				return m
			}
			return stars(m)
		})
	}
	if n >= 10 && hasAccountWord(s) {
		s = maskAccountWords(s)
	}
	return s
}

// maskAccountWords stars the digits after a word that says they are an
// account number (reAcctWord), unless they are a date or an order number,
// or the words between name another kind of number ("환불 요청합니다
// 주문번호 20261122-0001234").
func maskAccountWords(s string) string {
	ms := reAcctWord.FindAllStringSubmatchIndex(s, -1)
	if ms == nil {
		return s
	}
	b := []byte(s)
	for _, m := range ms {
		gap, num := s[m[2]:m[3]], s[m[4]:m[5]]
		if reDate.MatchString(num) || reOrderNo.MatchString(num) || otherNumberWord(gap) {
			continue
		}
		for i := m[4]; i < m[5]; i++ {
			if b[i] >= '0' && b[i] <= '9' {
				b[i] = '*'
			}
		}
	}
	return string(b)
}

// otherNumberWord reports whether gap names a number that is not an
// account: an order, a tracking or a phone number.
func otherNumberWord(gap string) bool {
	for _, w := range []string{"주문", "송장", "운송장", "전화", "연락처", "휴대폰"} {
		if strings.Contains(gap, w) {
			return true
		}
	}
	return false
}

// maskCards stars the card numbers in run, digit groups separated by
// a space or a hyphen with at most a space either side (reDigitRun): the longest span of whole groups
// from the run's first group that is a card (isCard), then the same from
// the group after it. A card number followed by more digits — an expiry,
// "3개월", a CVC — is found as well as one standing alone. Spans starting
// inside a run are not tried: a long tracking or order number would give
// Luhn a chance in ten at each.
func maskCards(run string) string {
	if digits(run) < 13 {
		return run
	}
	var groups [][2]int // byte spans of the digit groups
	for i := 0; i < len(run); {
		j := i
		for j < len(run) && run[j] >= '0' && run[j] <= '9' {
			j++
		}
		groups = append(groups, [2]int{i, j})
		for i = j; i < len(run) && (run[i] < '0' || run[i] > '9'); i++ { // past the separator
		}
	}
	var b []byte
	for i := 0; i < len(groups); i++ {
		n, end := 0, -1 // n: the span's digits
		for j := i; j < len(groups) && n <= 19; j++ {
			n += groups[j][1] - groups[j][0]
			if n >= 13 && n <= 19 && isCard(run[groups[i][0]:groups[j][1]]) {
				end = j
			}
		}
		if end < 0 {
			break
		}
		if b == nil {
			b = []byte(run)
		}
		for k := groups[i][0]; k < groups[end][1]; k++ {
			if b[k] >= '0' && b[k] <= '9' {
				b[k] = '*'
			}
		}
		i = end
	}
	if b == nil {
		return run
	}
	return string(b)
}

// accountWords say that the digits after them are an account number.
var accountWords = []string{"계좌", "통장", "입금", "환불", "송금", "이체"}

func hasAccountWord(s string) bool {
	for _, w := range accountWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// stars replaces every digit with '*'.
func stars(m string) string {
	b := []byte(m)
	for i, c := range b {
		if c >= '0' && c <= '9' {
			b[i] = '*'
		}
	}
	return string(b)
}

// maskEmail keeps the first character and the domain: k***@example.com.
func maskEmail(m string) string {
	at := strings.IndexByte(m, '@')
	if at <= 1 {
		return strings.Repeat("*", at) + m[at:]
	}
	return m[:1] + strings.Repeat("*", at-1) + m[at:]
}

// isCard reports whether m's digits look like a payment card: 13 to 19
// digits, an issuer prefix (Visa 4, Mastercard 51–55 and 2221–2720, Amex,
// JCB and Diners 34–38, Discover and UnionPay 6, Korean domestic 9), and a
// passing Luhn check. The prefix rule keeps date-led order numbers
// (2026112212345678) from being taken for cards.
func isCard(m string) bool {
	d := onlyDigits(m)
	if len(d) < 13 || len(d) > 19 || !luhn(d) {
		return false
	}
	switch d[0] {
	case '4', '6', '9':
		return true
	case '5':
		return d[1] >= '1' && d[1] <= '5'
	case '3':
		return d[1] >= '4' && d[1] <= '8'
	case '2':
		p := atoi(d[:4])
		return p >= 2221 && p <= 2720
	}
	return false
}

// isRRN reports whether 13 bare digits look like a 주민등록번호: a birth date
// (YYMMDD) followed by a gender digit 1–8.
func isRRN(d string) bool {
	mm, dd := atoi(d[2:4]), atoi(d[4:6])
	return mm >= 1 && mm <= 12 && dd >= 1 && dd <= 31 && d[6] >= '1' && d[6] <= '8'
}

// onlyDigits drops everything but ASCII digits.
func onlyDigits(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b = append(b, s[i])
		}
	}
	return string(b)
}

// atoi parses a short run of ASCII digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// luhn reports whether the digit string d passes the Luhn check.
func luhn(d string) bool {
	sum, double := 0, false
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i] - '0')
		if double {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return sum%10 == 0
}

// minSensitiveDigits is the fewest digits any masked pattern has (an account
// number like 12-34-56).
const minSensitiveDigits = 6

// digits counts the ASCII and full-width digits of s.
func digits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			n++
		} else if c == 0xEF && i+2 < len(s) && s[i+1] == 0xBC && s[i+2] >= 0x90 && s[i+2] <= 0x99 {
			n++ // '０'–'９'
			i += 2
		}
	}
	return n
}
