package configs

import (
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"90s", 90 * time.Second},
		{"2.5s", 2500 * time.Millisecond},
		{"30m", 30 * time.Minute},
		{"12h", 12 * time.Hour},
		{"30d", 30 * 24 * time.Hour},
		{"1d12h", 36 * time.Hour},
		{" 10m ", 10 * time.Minute},
		{"106751d23h", (106751*24 + 23) * time.Hour}, // the longest in whole hours
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if err != nil || got.D() != tt.want {
			t.Errorf("ParseDuration(%q): got %v, %v; want %v", tt.in, got.D(), err, tt.want)
		}
	}
	for _, bad := range []string{"", "30", "d", "1.5d", "-1s", "-2d", "30 minutes", "1d-1h",
		// Past time.Duration (about 292 years): these wrapped around to
		// a short or negative duration.
		"106752d", "99999999999d", "106751d24h", "1d2562047h"} {
		if got, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) = %v, nil; want an error", bad, got.D())
		}
	}
}

func TestDurationMarshalRoundTrip(t *testing.T) {
	for _, d := range []time.Duration{90 * 24 * time.Hour, 30 * time.Minute, 2500 * time.Millisecond} {
		b, err := Duration(d).MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var got Duration
		if err := got.UnmarshalText(b); err != nil || got.D() != d {
			t.Errorf("round trip %v via %q: got %v, %v", d, b, got.D(), err)
		}
	}
}
