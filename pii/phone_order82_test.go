package pii

import "testing"

// TestOrderNumberAfter82: a bare "82" group is read as Korea's country
// code only before an area or carrier code of 1 to 3 digits; "82" before a
// group of 4 is an order or reservation number, left readable by Mask and
// refused by PhoneDigits (before, "82 2026 1122" was read as 02-026-1122).
// (Dashed, "82-2026-1122" is account-shaped and masked as one, as any
// dashed 2–6/2–6/2–8 run is: see maskAccounts.)
func TestOrderNumberAfter82(t *testing.T) {
	for _, s := range []string{"예약번호 82 2026 1122", "주문 82 2026 1122 3344 확인"} {
		if got := Mask(s); got != s {
			t.Errorf("Mask(%q): got %q, want it unchanged", s, got)
		}
	}
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"82 2026 1122", "", false},
		{"82 2026 1122 33", "", false},
		{"82 10 1234 5678", "01012345678", true},
		{"82 010 1234 5678", "01012345678", true},
		{"82 2 123 4567", "021234567", true},
		{"82 31 123 4567", "0311234567", true},
	} {
		got, ok := PhoneDigits(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("PhoneDigits(%q): got %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
		if masked := Mask("번호 " + tt.in); (masked != "번호 "+tt.in) != tt.ok {
			t.Errorf("Mask(%q): got %q, want masked %v (as PhoneDigits accepts it)", "번호 "+tt.in, masked, tt.ok)
		}
	}
}

// TestPhoneDigitsAgreesWithMaskAfterPlus: a number after '+' that reads as
// no Korean number in international form ("+0082 91206") is not accepted
// by PhoneDigits through the domestic rule either, since Mask, seeing the
// '+', leaves it readable: the contact step accepts only what masking hides.
func TestPhoneDigitsAgreesWithMaskAfterPlus(t *testing.T) {
	for _, s := range []string{"+0082 91206", "+0082-2272-3232", "+82 10 1234 5678", "+0082 10 1234 5678", "+010-1234-5678"} {
		d, ok := PhoneDigits(s)
		if !ok {
			continue
		}
		if got := Mask(s); got == s {
			t.Errorf("PhoneDigits(%q) = %q, true, but Mask left it as is", s, d)
		}
	}
	if d, ok := PhoneDigits("+0082 91206"); ok {
		t.Errorf("PhoneDigits(%q): got %q, true, want false", "+0082 91206", d)
	}
	if _, ok := PhoneDigits("+82 10 1234 5678"); !ok {
		t.Errorf("PhoneDigits(%q): got false, want true", "+82 10 1234 5678")
	}
}
