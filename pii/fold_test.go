package pii

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"배송 언제 와요", "배송 언제 와요"},
		{"０１０－１２３４－５６７８", "010-1234-5678"},
		{"010–1234—5678", "010-1234-5678"},
		{"（０２）\u3000１２３\u00a0４５６７", "(02) 123 4567"},
		{"＋８２ １０‐１２３４−５６７８．", "+82 10-1234-5678."},
		{"０１０-＊＊＊＊-＊＊＊＊", "010-＊＊＊＊-＊＊＊＊"},
		{"010ㅡ1234ㅡ5678", "010-1234-5678"},
		{"배송 언제 와요 ㅡㅡ", "배송 언제 와요 --"},
	}
	for _, tc := range tests {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q): got %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMaskWideIDs(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"rrn full-width", "주민번호 ９００１０１－１２３４５６７", "주민번호 ＊＊＊＊＊＊－＊＊＊＊＊＊＊"},
		{"rrn en dash", "900101–1234567", "******–*******"},
		{"rrn mixed", "９００１０１-1234567", "＊＊＊＊＊＊-*******"},
		{"rrn bare full-width", "９００１０１２２３４５６７", "＊＊＊＊＊＊＊＊＊＊＊＊＊"},
		{"card full-width", "카드 ４１１１ １１１１ １１１１ １１１１", "카드 ＊＊＊＊ ＊＊＊＊ ＊＊＊＊ ＊＊＊＊"},
		{"account full-width", "３３３－０１－２３４５６７８로", "＊＊＊－＊＊－＊＊＊＊＊＊＊로"},
		{"account word", "환불 계좌 １１０１２３４５６７８９", "환불 계좌 ＊＊＊＊＊＊＊＊＊＊＊＊"},
		{"date full-width", "２０２６－１１－２２ 주문", "２０２６－１１－２２ 주문"},
		{"phone full-width", "０１０－１２３４－５６７８", "０１０－＊＊＊＊－＊＊＊＊"},
		{"phone hangul eu", "제 번호 010ㅡ1234ㅡ5678 이요", "제 번호 010ㅡ****ㅡ**** 이요"},
		{"rrn hangul eu", "900101ㅡ1234567", "******ㅡ*******"},
		{"emoticon kept", "3일째 안 와요ㅡㅡ 010ㅡ", "3일째 안 와요ㅡㅡ 010ㅡ"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Mask(tc.in); got != tc.want {
				t.Errorf("Mask(%q): got %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// widen writes some of s's ASCII digits full-width and some of its hyphens
// as dashes, the way other keyboards type them.
func widen(r *rand.Rand, s string) string {
	dashes := []string{"－", "–", "—", "‐", "−", "ㅡ"}
	var b strings.Builder
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9' && r.IntN(2) == 0:
			b.WriteRune('０' + c - '0')
		case c == '-' && r.IntN(2) == 0:
			b.WriteString(dashes[r.IntN(len(dashes))])
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// TestMaskWideProperties: a 주민등록번호, card or account number typed
// partly full-width loses its identifying digits as its ASCII form does.
func TestMaskWideProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	gen := map[string]func() (in, secret string){
		"rrn": func() (string, string) {
			d := fmt.Sprintf("%02d%02d%02d", r.IntN(100), 1+r.IntN(12), 1+r.IntN(28))
			back := string(rune('1'+r.IntN(4))) + randDigits(r, 6)
			return d + "-" + back, back
		},
		"card": func() (string, string) {
			body := []string{"4", "51", "37", "94"}[r.IntN(4)]
			body += randDigits(r, 15-len(body))
			n := body + string(luhnDigit(body))
			return n[:4] + " " + n[4:8] + " " + n[8:12] + " " + n[12:], n[4:8]
		},
		"account": func() (string, string) {
			back := randDigits(r, 6)
			return randDigits(r, 3) + "-" + randDigits(r, 2+r.IntN(4)) + "-" + back, back
		},
	}
	for kind, g := range gen {
		for range 300 {
			in, secret := g()
			s := wrap(r, widen(r, in))
			got := Mask(s)
			if strings.Contains(Fold(got), secret) {
				t.Fatalf("%s: Mask(%q) = %q still shows %q", kind, s, got, secret)
			}
			if len(got) != len(s) {
				t.Fatalf("%s: Mask(%q) = %q changed the length", kind, s, got)
			}
			if again := Mask(got); again != got {
				t.Fatalf("%s: Mask is not idempotent: %q then %q", kind, got, again)
			}
		}
	}
}
