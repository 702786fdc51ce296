package pii

import "testing"

// TestPhoneDigitsNeedsAKnownPrefix: the contact step takes only a number
// with a known Korean prefix (isPhone: 01x, 02, 03x–06x, 050x, 070, 080),
// so the placeholders typed into a phone field not to fill it
// ("000-0000-0000", "0000000000"), and other runs of digits led by 0 that
// no one can call, are no number. Mask still masks them all (any 9 to 11
// digits led by 0).
func TestPhoneDigitsNeedsAKnownPrefix(t *testing.T) {
	for _, in := range []string{"000-0000-0000", "0000000000", "00000000000", "000 0000 0000", "０００－００００－００００",
		"012-345-6789", "099-1234-5678", "071-123-4567", "0505-123-456", "010-123-456", "+82 00-0000-0000"} {
		if d, ok := PhoneDigits(in); ok {
			t.Errorf("PhoneDigits(%q): got %q, true; want no number", in, d)
		}
		if in[0] != '+' && !containsNoSubscriber(Mask(in)) {
			t.Errorf("Mask(%q) = %q, want it masked still", in, Mask(in))
		}
	}
	for in, want := range map[string]string{
		"010-1234-5678": "01012345678", "011-123-4567": "0111234567", "016-123-4567": "0161234567",
		"02-123-4567": "021234567", "02-1234-5678": "0212345678", "031-123-4567": "0311234567",
		"064-123-4567": "0641234567", "0505-123-4567": "05051234567", "070-1234-5678": "07012345678",
		"080-123-4567": "0801234567", "+82 10 1234 5678": "01012345678", "0082-2-123-4567": "021234567",
	} {
		if got, ok := PhoneDigits(in); !ok || got != want {
			t.Errorf("PhoneDigits(%q): got %q, %v; want %q", in, got, ok, want)
		}
	}
}
