package pii

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestMask(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// Nothing personal.
		{"plain", "배송 언제 와요", "배송 언제 와요"},
		{"one digit", "1", "1"},
		{"short numbers", "주문번호 2024 3개", "주문번호 2024 3개"},

		// Phones.
		{"mobile", "제 번호는 010-1234-5678 이에요", "제 번호는 010-****-**** 이에요"},
		{"mobile bare", "01012345678로 연락주세요", "010********로 연락주세요"},
		{"mobile dots", "010.1234.5678", "010.****.****"},
		{"mobile spaces", "010 1234 5678", "010 **** ****"},
		{"old carrier", "011-123-4567", "011-***-****"},
		{"seoul", "02-123-4567", "02-***-****"},
		{"gyeonggi", "031-1234-5678", "031-****-****"},
		{"internet phone", "070-1234-5678", "070-****-****"},
		{"safe number", "0504-1234-5678", "050*-****-****"},
		{"international", "+82 10-1234-5678", "+82 **-****-****"},
		{"international bare", "+821012345678", "+82**********"},
		{"international (0)", "+82 (0)10 1234 5678", "+82 (*)** **** ****"},

		// 주민등록번호.
		{"rrn", "주민번호 900101-1234567", "주민번호 ******-*******"},
		{"rrn spaced", "900101 - 2234567", "****** - *******"},
		{"rrn foreigner", "850315-5123456", "******-*******"},
		{"rrn bare", "주민번호는 9001012234567 입니다", "주민번호는 ************* 입니다"},
		{"rrn space for hyphen", "주민 900101 1234567 이요", "주민 ****** ******* 이요"},
		{"rrn ideographic space", "900101\u30002234567", "******\u3000*******"},

		// Cards (Luhn).
		{"visa spaced", "카드 4111 1111 1111 1111 결제", "카드 **** **** **** **** 결제"},
		{"visa hyphens", "4111-1111-1111-1111", "****-****-****-****"},
		{"visa bare", "4111111111111111", "****************"},
		{"mastercard", "5555 5555 5555 4444", "**** **** **** ****"},
		{"mastercard 2-series", "2223000048400011", "****************"},
		{"amex", "3782 822463 10005", "**** ****** *****"},
		{"korean domestic", "9410 1234 5678 9010", "**** **** **** ****"},
		{"fails luhn", "카드 4111 1111 1111 1112 결제", "카드 4111 1111 1111 1112 결제"},

		// Accounts.
		{"account", "계좌 110-123-456789 입니다", "계좌 ***-***-****** 입니다"},
		{"account four groups", "1002-123-456789-01", "****-***-******-**"},
		{"account bare after keyword", "환불 계좌는 110123456789 입니다", "환불 계좌는 ************ 입니다"},
		{"account bare after 입금", "입금했어요 3333012345678", "입금했어요 *************"},

		// E-mail.
		{"email", "메일 kim.minsu@example.co.kr 로", "메일 k********@example.co.kr 로"},
		{"email one char", "a@b.co", "*@b.co"},

		// False positives that must stay.
		{"iso date", "2026-11-22에 주문했어요", "2026-11-22에 주문했어요"},
		{"short date", "26-11-22 주문", "26-11-22 주문"},
		{"dotted date", "2026.11.22 배송", "2026.11.22 배송"},
		{"order number", "주문번호 20261122-0001234", "주문번호 20261122-0001234"},
		{"order number bare", "주문번호 2026112212345678 확인해 주세요", "주문번호 2026112212345678 확인해 주세요"},
		{"order number 13 digits", "주문 2611220012345", "주문 2611220012345"},
		{"two numbers, no date in front", "주문 123456 1234567", "주문 123456 1234567"},
		{"tracking number", "송장 6896 1234 5678", "송장 6896 1234 5678"},
		{"price", "가격 1,250,000원", "가격 1,250,000원"},
		{"business phone", "고객센터 1588-1234", "고객센터 1588-1234"},
		{"time", "09:00-18:00 영업", "09:00-18:00 영업"},
		{"size and count", "270mm 2켤레 30000원", "270mm 2켤레 30000원"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Mask(tc.in); got != tc.want {
				t.Errorf("Mask(%q): got %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// luhnDigit returns the check digit that makes body+digit pass Luhn.
func luhnDigit(body string) byte {
	for d := byte('0'); d <= '9'; d++ {
		if luhn(body + string(d)) {
			return d
		}
	}
	panic("no check digit")
}

func randDigits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

// wrap puts s inside a random Korean sentence.
func wrap(r *rand.Rand, s string) string {
	before := []string{"", "제 번호 ", "연락처는 ", "카드 ", "계좌 ", "메일은 "}
	after := []string{"", " 입니다", "로 연락 주세요", "이에요.", "\n감사합니다"}
	return before[r.IntN(len(before))] + s + after[r.IntN(len(after))]
}

// TestMaskProperties checks, over generated inputs, that every kind of
// personal data loses the digits that identify a person, wherever it sits in
// a sentence, and that dates and order numbers keep theirs.
func TestMaskProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	seps := []string{"-", " ", ".", ""}
	gen := map[string]func() (in, secret string){
		"mobile": func() (string, string) {
			sep := seps[r.IntN(len(seps))]
			mid, last := randDigits(r, 3+r.IntN(2)), randDigits(r, 4)
			return "010" + sep + mid + sep + last, mid + sep + last
		},
		"rrn": func() (string, string) {
			d := fmt.Sprintf("%02d%02d%02d", r.IntN(100), 1+r.IntN(12), 1+r.IntN(28))
			back := string(rune('1'+r.IntN(4))) + randDigits(r, 6)
			return d + "-" + back, back
		},
		"card": func() (string, string) {
			body := []string{"4", "51", "55", "37", "94", "62"}[r.IntN(6)]
			body += randDigits(r, 15-len(body))
			n := body + string(luhnDigit(body))
			if r.IntN(2) == 0 {
				n = n[:4] + " " + n[4:8] + " " + n[8:12] + " " + n[12:]
			}
			return n, n[4:]
		},
		"account": func() (string, string) {
			n := randDigits(r, 3) + "-" + randDigits(r, 2+r.IntN(4)) + "-" + randDigits(r, 6)
			return n, n
		},
		"email": func() (string, string) {
			local := "user" + randDigits(r, 4)
			return local + "@example.com", local
		},
	}
	for kind, g := range gen {
		for range 300 {
			in, secret := g()
			s := wrap(r, in)
			got := Mask(s)
			if strings.Contains(got, secret) {
				t.Fatalf("%s: Mask(%q) = %q still contains %q", kind, s, got, secret)
			}
			if len(got) != len(s) {
				t.Fatalf("%s: Mask(%q) = %q changed the length", kind, s, got)
			}
			if again := Mask(got); again != got {
				t.Fatalf("%s: Mask is not idempotent: %q then %q", kind, got, again)
			}
		}
	}
	keep := map[string]func() string{
		"date": func() string {
			return fmt.Sprintf("%d-%02d-%02d", 2000+r.IntN(30), 1+r.IntN(12), 1+r.IntN(28))
		},
		"order number": func() string {
			return fmt.Sprintf("%d%02d%02d-%s", 2020+r.IntN(10), 1+r.IntN(12), 1+r.IntN(28), randDigits(r, 7))
		},
		"dated order number": func() string {
			// 16 digits led by a date: never a card prefix (2020–2029).
			return fmt.Sprintf("202%d%02d%02d%s", r.IntN(10), 1+r.IntN(12), 1+r.IntN(28), randDigits(r, 8))
		},
		"price": func() string { return fmt.Sprintf("%d,%03d,%03d원", 1+r.IntN(9), r.IntN(1000), r.IntN(1000)) },
	}
	for kind, g := range keep {
		for range 300 {
			s := "주문 " + g() + " 확인 부탁드려요"
			if got := Mask(s); got != s {
				t.Fatalf("%s: Mask(%q) = %q, want it unchanged", kind, s, got)
			}
		}
	}
}

// TestMaskOnlyStarsDigits checks on random text that Mask changes nothing
// but digits and e-mail local parts, always to '*', and keeps the length.
func TestMaskOnlyStarsDigits(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"0", "1", "2", "5", "9", "-", " ", ".", "+", "@", "a", "k", "가", "번", "\n", "82", "010"}
	for range 5000 {
		var b strings.Builder
		for range 1 + r.IntN(40) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		s := b.String()
		got := Mask(s)
		if len(got) != len(s) {
			t.Fatalf("Mask(%q) = %q: length changed", s, got)
		}
		for i := 0; i < len(s); i++ {
			if got[i] != s[i] && got[i] != '*' {
				t.Fatalf("Mask(%q) = %q: byte %d changed to %q, not '*'", s, got, i, got[i])
			}
		}
	}
}

func BenchmarkMask(b *testing.B) {
	for _, s := range []string{"배송 언제 와요", "1", "제 번호는 010-1234-5678 이에요", "주문번호 20261122-0001234 언제 와요"} {
		b.Run(s, func(b *testing.B) {
			for b.Loop() {
				Mask(s)
			}
		})
	}
}
