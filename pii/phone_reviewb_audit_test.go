//go:build audit

package pii

import "testing"

// TestAuditOrderNumberAfter82 shows a false positive of s9-leftovers'
// international numbers: a bare "82" group followed by any 7–8 digits
// reads as a Seoul number (82 → 02), so order or reservation numbers led
// by 82 are partly starred in the transcript agents get (handoff context)
// and PhoneDigits takes "82 2026 1122" for 020261122. phone_intl.go keeps
// "82-20261122" readable for this very reason; split into groups it is not.
func TestAuditOrderNumberAfter82(t *testing.T) {
	for _, s := range []string{
		"주문번호 82-2026-1122-3344",
		"예약번호 82 2026 1122",
	} {
		if got := Mask(s); got != s {
			t.Errorf("Mask(%q): got %q, want it unchanged (an order number, not 02-…)", s, got)
		}
	}
	if d, ok := PhoneDigits("82 2026 1122"); ok {
		t.Errorf("PhoneDigits(%q): got %q, true, want false", "82 2026 1122", d)
	}
}

// TestAuditPhoneDigitsAgreesWithMask shows PhoneDigits and Mask disagree
// on "+0082…" runs whose international reading is no number: PhoneDigits
// falls back to the domestic rule (9–11 digits led by 0) and accepts them,
// while maskRun, seeing the '+', only tries group stretches and leaves
// them readable — against PhoneDigits' doc ("Mask masks every number
// PhoneDigits accepts").
func TestAuditPhoneDigitsAgreesWithMask(t *testing.T) {
	for _, s := range []string{"+0082 91206", "+0082-2272-3232"} {
		d, ok := PhoneDigits(s)
		if !ok {
			continue
		}
		if got := Mask(s); got == s {
			t.Errorf("PhoneDigits(%q) = %q, true, but Mask left it as is: got %q, want it masked", s, d, got)
		}
	}
}
