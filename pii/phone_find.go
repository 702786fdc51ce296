package pii

import "strings"

// PhoneNumbers returns the phone numbers in s, in order, each as typed with
// full-width digits and separators folded (Fold) and the separators around
// it trimmed: "010-1234-5678로 연락 주세요" holds "010-1234-5678". They are
// the numbers Mask masks as phone numbers on its first pass (the same
// scan), so a 주민등록번호 or card number, which Mask masks first, is none;
// a number split by a line break, a tab or a run of spaces
// ("010\n1234\n5678"), which Mask also masks (mask_space.go), is none
// either: PhoneDigits would not read it. Read one with PhoneDigits. The
// result is personal data: never log it.
func PhoneNumbers(s string) []string {
	if digits(s) < 9 { // the shortest phone number, 02-123-4567
		return nil
	}
	f := Fold(s)
	f = maskIDs(f, digits(f))
	h := phoneHits{find: true}
	scanPhones(f, &h)
	if len(h.spans) == 0 {
		return nil
	}
	out := make([]string, 0, len(h.spans))
	for _, sp := range h.spans {
		n := strings.TrimRight(strings.TrimLeft(f[sp.start:sp.end], " .-)"), " .-(+")
		if sp.plus {
			n = "+" + n
		}
		out = append(out, n)
	}
	return out
}
