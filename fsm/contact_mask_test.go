package fsm

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/baton-chat/baton/pii"
)

// TestMaskHidesEveryContactNumber: whatever the contact step takes as a
// phone number (phoneDigits: digits with "-. ()+" anywhere, some typed
// full-width or as dashes), pii.Mask leaves at most its prefix readable
// (010, 02, the 82 of +82 or "82 ", or 0082), alone or in a sentence, keeps the byte
// length, and is idempotent on it.
func TestMaskHidesEveryContactNumber(t *testing.T) {
	r := rand.New(rand.NewPCG(20, 26))
	seps := []string{"-", " ", ".", "(", ")", "+", " - ", ") ", "(0)", "–", "—", "－", "−", "\u3000", "（", "）"}
	prefixes := []string{"010", "011", "016", "02", "031", "051", "064", "070", "0505", "00", "09", "080"}
	accepted, acceptedWide := 0, 0
	for range 5000 {
		number := prefixes[r.IntN(len(prefixes))]
		for len(number) < 9+r.IntN(3) {
			number += string(rune('0' + r.IntN(10)))
		}
		readable := 3
		if r.IntN(4) == 0 {
			intl := []string{"+82", "0082", "82 "}[r.IntN(3)]
			number = intl + number[1:]
			if intl == "0082" {
				readable = 4
			}
		}
		var b strings.Builder
		wide := r.IntN(2) == 0 // some digits typed full-width
		for i, c := range number {
			if i > 0 && r.IntN(3) == 0 {
				b.WriteString(seps[r.IntN(len(seps))])
			}
			if wide && c >= '0' && c <= '9' && r.IntN(2) == 0 {
				c += '０' - '0'
			}
			b.WriteRune(c)
		}
		s := b.String()
		if r.IntN(3) == 0 {
			s = "(" + s + ")"
		}
		if _, ok := phoneDigits(s); !ok {
			continue
		}
		accepted++
		if s != pii.Fold(s) {
			acceptedWide++
		}
		for _, in := range []string{s, "  " + s + " ", "연락처는 " + s + " 입니다"} {
			got := pii.Mask(in)
			if left := countDigits(got); left > readable {
				t.Fatalf("pii.Mask(%q) = %q: %d digits left, want the prefix at most", in, got, left)
			}
			if len(got) != len(in) {
				t.Fatalf("pii.Mask(%q) = %q: length changed", in, got)
			}
			if again := pii.Mask(got); again != got {
				t.Fatalf("pii.Mask(%q) = %q, then %q: not idempotent", in, got, again)
			}
		}
	}
	if accepted < 1000 || acceptedWide < 500 {
		t.Fatalf("got %d generated numbers the contact step accepts (%d with full-width digits or wide separators), want at least 1000 (500)", accepted, acceptedWide)
	}
}

// countDigits counts the digits of s, ASCII or full-width.
func countDigits(s string) int {
	n := 0
	for _, c := range pii.Fold(s) {
		if c >= '0' && c <= '9' {
			n++
		}
	}
	return n
}
