package configs

import "testing"

// TestParseWindowSaysHow: a window written the way people also write
// hours (one-digit hour, "~") is answered with the window to write; one
// past midnight with the two windows it takes; an empty one with the
// all-day window.
func TestParseWindowSaysHow(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"9:00-18:00", `window "9:00-18:00" must be HH:MM-HH:MM, two digits each and a - between: write "09:00-18:00"`},
		{"10:00~14:00", `window "10:00~14:00" must be HH:MM-HH:MM, two digits each and a - between: write "10:00-14:00"`},
		{"9:30 – 13:00", `window "9:30 – 13:00" must be HH:MM-HH:MM, two digits each and a - between: write "09:30-13:00"`},
		{"22:00-02:00", `window "22:00-02:00" ends before it starts: a shift past midnight is two windows, "22:00-24:00" on that day and "00:00-02:00" on the next`},
		{"09:00-09:00", `window "09:00-09:00" is empty: the end must come after the start (open all day: 00:00-24:00)`},
		{"25:00~26:00", `window "25:00~26:00" must be HH:MM-HH:MM with the start before the end, e.g. 09:00-18:00`},
		{"오전 9시-오후 6시", `window "오전 9시-오후 6시" must be HH:MM-HH:MM with the start before the end, e.g. 09:00-18:00`},
	} {
		_, err := ParseWindow(tc.in)
		if err == nil || err.Error() != tc.want {
			t.Errorf("ParseWindow(%q): got %v, want %q", tc.in, err, tc.want)
		}
	}
}
