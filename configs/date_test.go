package configs

import (
	"strings"
	"testing"
)

// TestCheckDate: a date that is not written YYYY-MM-DD is told its shape; a
// well-written date that does not exist is told how many days its month
// has, not that it must be YYYY-MM-DD (which it is).
func TestCheckDate(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"2026-12-31", ""},
		{"2028-02-29", ""},
		{"2026/12/31", "must be YYYY-MM-DD"},
		{"2026-1-5", "must be YYYY-MM-DD"},
		{"2026-11-31", "is not a date: 2026-11 has 30 days"},
		{"2026-02-29", "is not a date: 2026-02 has 28 days"},
		{"2026-13-01", "is not a date: the month must be 01 to 12"},
	} {
		got := ""
		if err := CheckDate(tc.in); err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("CheckDate(%q): got %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestExceptionDateThatDoesNotExist: an hours exception on a day the month
// lacks is reported at its key as such.
func TestExceptionDateThatDoesNotExist(t *testing.T) {
	const old = "      weekly: {mon-fri: [\"09:00-18:00\"]}\n"
	src := minimal(t)
	if !strings.Contains(src, old) {
		t.Fatal("testdata/valid/minimal.yaml changed: no weekly line")
	}
	src = strings.Replace(src, old, old+"      exceptions: {\"2026-11-31\": []}\n", 1)
	errs := parseErrors(t, "exc.yaml", src)
	want := `exc.yaml:27:20: exception date "2026-11-31" is not a date: 2026-11 has 30 days`
	if got := errs.Error(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
