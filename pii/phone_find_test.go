package pii

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPhoneNumbers checks the numbers found in a sentence, and that each is
// one Mask masks and PhoneDigits reads.
func TestPhoneNumbers(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want []string
	}{
		{"010-1234-5678로 연락 주세요", []string{"010-1234-5678"}},
		{"제 번호는 01012345678이에요", []string{"01012345678"}},
		{"(010) 1234-5678이요", []string{"(010) 1234-5678"}},
		{"+82 10-1234-5678 입니다", []string{"+82 10-1234-5678"}},
		{"０１０－１２３４－５６７８요", []string{"010-1234-5678"}},
		{"010ㅡ1234ㅡ5678요", []string{"010-1234-5678"}},
		{"주문번호 12345 010-1234-5678", []string{"010-1234-5678"}},
		{"주문 12345 +82 10 1234 5678", []string{"+82 10 1234 5678"}},
		{"주문 20261122-0001234 번호 010 1234 5678", []string{"010 1234 5678"}},
		{"010-1234-5678 아니면 02-123-4567", []string{"010-1234-5678", "02-123-4567"}},
		{"900101-1234567 010-1234-5678", []string{"010-1234-5678"}}, // 주민등록번호 first
		// a card number (Luhn) holding 0243-64525: Mask masks the card first
		{"카드 96-0243-64525-902", nil},
		{"주문번호 20261122-0001234", nil},
		{"전화 주세요", nil},
		{"", nil},
	} {
		t.Run(tc.s, func(t *testing.T) {
			got := PhoneNumbers(tc.s)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("PhoneNumbers(%q): got %q, want %q", tc.s, got, tc.want)
			}
			for _, n := range got {
				if _, ok := PhoneDigits(n); !ok {
					t.Errorf("PhoneNumbers(%q): got %q, which PhoneDigits does not read", tc.s, n)
				}
				if m := Mask(tc.s); strings.Contains(m, strings.TrimLeft(n, "+(")) {
					t.Errorf("PhoneNumbers(%q): got %q, which Mask leaves readable: %q", tc.s, n, m)
				}
			}
		})
	}
}
