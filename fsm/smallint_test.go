package fsm

import (
	"strconv"
	"testing"
)

// TestSmallIntIsAtoi: smallInt agrees with strconv.Atoi on every input of
// up to three bytes the old check accepted, and refuses longer ones.
func TestSmallIntIsAtoi(t *testing.T) {
	inputs := []string{"", "0", "1", "9", "10", "99", "100", "999", "1000", "+1", "-1", "+0", "-0", "+", "-", "1a",
		"a1", " 1", "1 ", "١", "일", "+12", "-12", "++1", "0x1", "01", "001"}
	for _, in := range inputs {
		got, gotOK := smallInt(in)
		want, err := strconv.Atoi(in)
		wantOK := err == nil && len(in) <= 3
		if gotOK != wantOK || (wantOK && got != want) {
			t.Errorf("smallInt(%q): got %d %v, want %d %v", in, got, gotOK, want, wantOK)
		}
	}
}
