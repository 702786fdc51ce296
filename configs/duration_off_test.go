package configs

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// withOneOnOneIdle returns the minimal fixture with handoff.one_on_one_idle
// set to value, written as is.
func withOneOnOneIdle(t *testing.T, value string) string {
	t.Helper()
	src := minimal(t)
	out := strings.Replace(src, "handoff:\n", "handoff:\n  one_on_one_idle: "+value+"\n", 1)
	if out == src {
		t.Fatal("minimal fixture has no handoff: line")
	}
	return out
}

func TestOneOnOneIdleValues(t *testing.T) {
	tests := []struct {
		value   string
		want    time.Duration
		wantOff bool
	}{
		{"off", -1, true},
		{`"off"`, -1, true},
		{"12h", 12 * time.Hour, false},
		{"2d", 48 * time.Hour, false},
		{"~", DefaultOneOnOneIdle, false}, // null: the default
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			cfg, err := Parse("idle.yaml", []byte(withOneOnOneIdle(t, tt.value)))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got := cfg.Handoff.OneOnOneIdle
			if got.D() != tt.want || got.Off() != tt.wantOff {
				t.Errorf("got %v (off %v), want %v (off %v)", got.D(), got.Off(), tt.want, tt.wantOff)
			}
		})
	}
}

func TestOneOnOneIdleRejected(t *testing.T) {
	for _, value := range []string{"0s", "0", "0d", "never", "-1h", "false", "24"} {
		t.Run(value, func(t *testing.T) {
			src := withOneOnOneIdle(t, value)
			line := strings.Count(src[:strings.Index(src, "one_on_one_idle:")], "\n") + 1
			errs := parseErrors(t, "idle.yaml", src)
			var e Error
			if len(errs) == 0 || !errors.As(errs[0], &e) {
				t.Fatalf("got errors %v, want one Error", errs)
			}
			if e.Line != line || !strings.Contains(e.Msg, "write off") {
				t.Errorf("got %d:%d %q, want line %d and a message saying to write off", e.Line, e.Col, e.Msg, line)
			}
		})
	}
}

func TestOffDurationMarshalRoundTrip(t *testing.T) {
	for _, d := range []OffDuration{DurationOff, OffDuration(24 * time.Hour), OffDuration(90 * time.Minute)} {
		b, err := d.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var got OffDuration
		if err := got.UnmarshalText(b); err != nil || got != d {
			t.Errorf("round trip %v via %q: got %v, %v", d.D(), b, got.D(), err)
		}
	}
}
