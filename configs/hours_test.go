package configs

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseDays(t *testing.T) {
	tests := []struct {
		in   string
		want []time.Weekday
	}{
		{"mon-fri", []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}},
		{"sat", []time.Weekday{time.Saturday}},
		{"sat,sun", []time.Weekday{time.Saturday, time.Sunday}},
		{"Sun", []time.Weekday{time.Sunday}},
		{"mon, wed-thu", []time.Weekday{time.Monday, time.Wednesday, time.Thursday}},
	}
	for _, tt := range tests {
		got, err := ParseDays(tt.in)
		if err != nil {
			t.Errorf("ParseDays(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseDays(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
	for _, bad := range []string{"", "monday", "fri-mon", "mon-", "weekdays"} {
		if got, err := ParseDays(bad); err == nil {
			t.Errorf("ParseDays(%q) = %v, nil; want an error", bad, got)
		}
	}
}

func TestParseWindow(t *testing.T) {
	got, err := ParseWindow("09:30-24:00")
	if want := (Window{Start: 9*time.Hour + 30*time.Minute, End: 24 * time.Hour}); err != nil || got != want {
		t.Errorf("ParseWindow: got %v, %v; want %v", got, err, want)
	}
	for _, bad := range []string{"", "9:00-18:00", "18:00-09:00", "09:00-09:00", "24:00-24:00", "09:60-10:00", "09:00-24:01", "09:00~18:00"} {
		if got, err := ParseWindow(bad); err == nil {
			t.Errorf("ParseWindow(%q) = %v, nil; want an error", bad, got)
		}
	}
}

func TestHoursOverlapAndDuplicateDays(t *testing.T) {
	src := strings.Replace(minimal(t), `      weekly: {mon-fri: ["09:00-18:00"]}`,
		`      weekly: {mon-fri: ["09:00-12:00", "11:00-18:00"], fri: ["10:00-12:00"]}`, 1)
	errs := parseErrors(t, "hours.yaml", src)
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	want := []string{
		`hours.yaml:26:41: window "11:00-18:00" overlaps or comes before the previous one`,
		`hours.yaml:26:57: fri is already covered by "mon-fri"`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}
