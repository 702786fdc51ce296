package pii

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestMaskInternationalPhones: Korean mobile and landline numbers written
// for abroad — "+82", the call prefix "0082", a bare "82" group, with
// spaces, dashes, a trunk "(0)" or full-width digits — mask like the
// domestic ones, keeping only the country code; digit runs that are not
// phone numbers stay.
func TestMaskInternationalPhones(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"0082 spaced", "0082 10-1234-5678", "0082 **-****-****"},
		{"0082 dashes", "0082-10-1234-5678", "0082-**-****-****"},
		{"0082 bare", "00821012345678", "0082**********"},
		{"0082 trunk 0", "0082 (0)10 1234 5678", "0082 (*)** **** ****"},
		{"0082 seoul", "0082 2 123 4567", "0082 * *** ****"},
		{"0082 gyeonggi", "0082-31-1234-5678", "0082-**-****-****"},
		{"0082 in a sentence", "제 번호 0082 10 1234 5678 이에요", "제 번호 0082 ** **** **** 이에요"},
		{"+82 dashes", "+82-10-1234-5678", "+82-**-****-****"},
		{"+82 seoul", "+82 2-123-4567", "+82 *-***-****"},
		{"82 spaced", "82 10 1234 5678", "82 ** **** ****"},
		{"82 dashes", "82-10-1234-5678", "82-**-****-****"},
		{"82 mixed", "82 10-1234-5678로 연락 주세요", "82 **-****-****로 연락 주세요"},
		{"82 seoul", "82 2 1234 5678", "82 * **** ****"},
		{"82 busan", "82-51-123-4567", "82-**-***-****"},
		{"82 after other digits", "주문 3 82 10 1234 5678", "주문 3 82 ** **** ****"},
		{"0082 full-width", "００８２ １０－１２３４－５６７８", "００８２ ＊＊－＊＊＊＊－＊＊＊＊"},
		{"82 full-width", "８２ １０ １２３４ ５６７８", "８２ ＊＊ ＊＊＊＊ ＊＊＊＊"},
		{"+82 full-width", "＋８２ １０ １２３４ ５６７８", "＋８２ ＊＊ ＊＊＊＊ ＊＊＊＊"},
		// Stay: no known prefix after 82, a number glued to 82, dates, amounts.
		{"82 then no prefix", "82 1234 5678", "82 1234 5678"},
		{"order number 82-", "주문번호 82-20261122", "주문번호 82-20261122"},
		{"order number glued", "주문번호 821012345678", "주문번호 821012345678"},
		{"2082 is not 0082", "2082 10 1234 5678", "2082 10 1234 5678"},
		{"amount", "82,000원 결제했어요 2026-11-22", "82,000원 결제했어요 2026-11-22"},
		{"date", "1982 10 12 생이에요", "1982 10 12 생이에요"},
		{"sizes", "사이즈 82 10 12 세 개", "사이즈 82 10 12 세 개"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
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
		})
	}
}

// TestPhoneDigits: the contact step's reading of a whole answer as one
// phone number, domestic or international, in the national form.
func TestPhoneDigits(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"010-1234-5678", "01012345678", true},
		{"02 123 4567", "021234567", true},
		{"+82 10 1234 5678", "01012345678", true},
		{"+82 (0)10 1234 5678", "01012345678", true},
		{"+821012345678", "01012345678", true},
		{"0082 10-1234-5678", "01012345678", true},
		{"0082-2-123-4567", "021234567", true},
		{"00821012345678", "01012345678", true},
		{"82 10 1234 5678", "01012345678", true},
		{"82-31-123-4567", "0311234567", true},
		{"００８２ １０－１２３４－５６７８", "01012345678", true},
		{"(010) 1234-5678", "01012345678", true},
		{"010ㅡ1234ㅡ5678", "01012345678", true},
		// Not phone numbers.
		{"82 1234 5678", "", false},
		{"82-20261122", "", false},
		{"821012345678", "", false},
		{"2082 10 1234 5678", "", false},
		{"010-1234-5678 입니다", "", false},
		{"12345678", "", false},
		{"0082 10 1234 5678 9999", "", false},
	}
	for _, tt := range tests {
		got, ok := PhoneDigits(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("PhoneDigits(%q): got %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
		if ok && !containsNoSubscriber(Mask(tt.in)) {
			t.Errorf("PhoneDigits(%q) accepts it, but Mask leaves %q", tt.in, Mask(tt.in))
		}
	}
}

// containsNoSubscriber reports whether at most the four digits of a
// country or area prefix are left readable in masked.
func containsNoSubscriber(masked string) bool {
	n := 0
	for _, c := range Fold(masked) {
		if c >= '0' && c <= '9' {
			n++
		}
	}
	return n <= 4
}

// TestMaskInternationalProperties: over generated numbers written for
// abroad, in a sentence, the subscriber digits are starred, the length
// kept and Mask idempotent; "82-" before a date-led order number stays.
func TestMaskInternationalProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(82, 82))
	areas := []string{"10", "11", "2", "31", "51", "64", "70", "505"}
	for range 2000 {
		prefix := []string{"+82", "0082", "82"}[r.IntN(3)]
		seps := []string{"-", " ", "."}
		if prefix != "82" { // a bare 82 is a number only as its own group
			seps = append(seps, "")
		}
		sep := seps[r.IntN(len(seps))]
		join := []string{" ", "-", sep}[r.IntN(3)]
		if prefix == "82" && join == "" {
			join = " "
		}
		mid, last := randDigits(r, 3+r.IntN(2)), randDigits(r, 4)
		in := prefix + join + areas[r.IntN(len(areas))] + sep + mid + sep + last
		s := wrap(r, in)
		got := Mask(s)
		if strings.Contains(got, mid+sep+last) {
			t.Fatalf("Mask(%q) = %q: subscriber digits left", s, got)
		}
		if len(got) != len(s) {
			t.Fatalf("Mask(%q) = %q changed the length", s, got)
		}
		if again := Mask(got); again != got {
			t.Fatalf("Mask is not idempotent: %q then %q", got, again)
		}
		if d, ok := PhoneDigits(in); ok && !containsNoSubscriber(Mask(in)) {
			t.Fatalf("PhoneDigits(%q) = %s, but Mask leaves %q", in, d, Mask(in))
		}
	}
	for range 300 {
		s := fmt.Sprintf("주문번호 82-%d%02d%02d 확인 부탁드려요", 2020+r.IntN(10), 1+r.IntN(12), 1+r.IntN(28))
		if got := Mask(s); got != s {
			t.Fatalf("Mask(%q) = %q, want it unchanged", s, got)
		}
	}
}
