package pii

import (
	"strings"
	"testing"
)

// TestMaskCommonPhoneForms: the ways users type a number that the pattern
// of a single ASCII separator missed — parentheses, spaced dashes,
// full-width digits, en dashes — lose their subscriber digits.
func TestMaskCommonPhoneForms(t *testing.T) {
	for _, in := range []string{
		"(010) 1234-5678",
		"010 - 1234 - 5678",
		"010-1234 -5678",
		"０１０-１２３４-５６７８",
		"010–1234–5678", // en dash (smart punctuation)
	} {
		got := Mask(in)
		if strings.Contains(got, "5678") || strings.Contains(got, "５６７８") {
			t.Errorf("Mask(%q): got %q, want the subscriber digits starred", in, got)
		}
	}
}

// TestMaskPhoneShapes pins the masked shape of the forms above and of
// numbers among other digits, and what must stay.
func TestMaskPhoneShapes(t *testing.T) {
	tests := []struct{ in, want string }{
		{"(010) 1234-5678", "(010) ****-****"},
		{"연락처 (02) 123-4567 입니다", "연락처 (02) ***-**** 입니다"},
		{"010 - 1234 - 5678", "010 - **** - ****"},
		{"０１０-１２３４-５６７８", "０１０-＊＊＊＊-＊＊＊＊"},
		{"010–1234–5678로 주세요", "010–****–****로 주세요"},
		{"0 1 0 1 2 3 4 5 6 7 8", "0 1 0 * * * * * * * *"},
		{"3 010 1234 5678", "3 010 **** ****"},
		{"2026-11-22 010-1234-5678", "2026-11-22 010-****-****"},
		{"0123456 010 1234 5678", "0123456 010 **** ****"},
		{"0212345 01012345678", "0212345 010********"},
		{"*010-1234-5678 입니다", "*010-****-**** 입니다"},
		{"+82 10 1234 5678", "+82 ** **** ****"},
		{"(+82) 10-1234-5678", "(+82) **-****-****"},
		{"주문 2 +82 10 1234 5678", "주문 2 +82 ** **** ****"},
		{"010-1234-5678-1", "010-****-****-1"},
		// Stay.
		{"2026-11-22 10:00", "2026-11-22 10:00"},
		{"１２３４ ５６７８", "１２３４ ５６７８"},
		{"주문번호 20261122 0001234", "주문번호 20261122 0001234"},
	}
	for _, tt := range tests {
		got := Mask(tt.in)
		if got != tt.want {
			t.Errorf("Mask(%q): got %q, want %q", tt.in, got, tt.want)
		}
		if len(got) != len(tt.in) {
			t.Errorf("Mask(%q): got %d bytes, want %d", tt.in, len(got), len(tt.in))
		}
		if again := Mask(got); again != got {
			t.Errorf("Mask(%q): got %q, then %q: not idempotent", tt.in, got, again)
		}
	}
}
