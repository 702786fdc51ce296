package skill

import (
	"regexp"
	"strings"
)

// Personal data patterns masked before an utterance is stored or forwarded
// (PIPA): e-mail, 주민등록번호, card numbers that pass Luhn, phone numbers and
// bank account numbers. Masking keeps the shape ("010-****-****") so agents
// can still tell what the user typed.
var (
	reEmail = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	reRRN   = regexp.MustCompile(`\b\d{6}\s?-\s?[1-8]\d{6}\b`)
	reCard  = regexp.MustCompile(`\b(?:\d[ -]?){13,19}\b`)
	rePhone = regexp.MustCompile(`\b(?:01[016789]|0[2-6][0-9]?|070)[ -.]?\d{3,4}[ -.]?\d{4}\b`)
	reAcct  = regexp.MustCompile(`\b\d{2,6}-\d{2,6}-\d{2,8}(?:-\d{1,6})?\b`)
)

// Mask replaces personal data in s with asterisks, keeping separators. It is
// cheap for the common case of a short utterance without digits or '@'.
func Mask(s string) string {
	hasAt := strings.IndexByte(s, '@') >= 0
	if !hasAt && digits(s) < minSensitiveDigits {
		return s // "1", "3번", "2개 주문했어요": nothing personal can hide here
	}
	if hasAt {
		s = reEmail.ReplaceAllStringFunc(s, maskEmail)
	}
	s = reRRN.ReplaceAllStringFunc(s, stars)
	s = reCard.ReplaceAllStringFunc(s, func(m string) string {
		if luhn(m) {
			return stars(m)
		}
		return m
	})
	s = rePhone.ReplaceAllStringFunc(s, maskPhone)
	s = reAcct.ReplaceAllStringFunc(s, stars)
	return s
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

// maskPhone keeps the area or carrier prefix: 010-1234-5678 → 010-****-****.
func maskPhone(m string) string {
	prefix := 3
	if strings.HasPrefix(m, "02") {
		prefix = 2
	}
	return m[:prefix] + stars(m[prefix:])
}

// maskEmail keeps the first character and the domain: k***@example.com.
func maskEmail(m string) string {
	at := strings.IndexByte(m, '@')
	if at <= 1 {
		return "*" + m[at:]
	}
	return m[:1] + strings.Repeat("*", at-1) + m[at:]
}

// luhn reports whether the digits of s pass the Luhn check.
func luhn(s string) bool {
	sum, n, double := 0, 0, false
	for i := len(s) - 1; i >= 0; i-- {
		c := s[i]
		if c < '0' || c > '9' {
			continue
		}
		d := int(c - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
		n++
	}
	return n >= 13 && sum%10 == 0
}

// minSensitiveDigits is the fewest digits any masked pattern has (an account
// number like 12-34-56).
const minSensitiveDigits = 6

func digits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}
