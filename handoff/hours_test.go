package handoff

import (
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
)

type fixedHolidays map[string]bool

func (f fixedHolidays) IsHoliday(cal string, y int, m time.Month, d int) bool {
	return cal == "kr" && f[time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)]
}

func TestHoursOpen(t *testing.T) {
	cfg := &configs.Config{Handoff: configs.Handoff{
		Queues: map[string]configs.Queue{"general": {Target: "notify", Hours: "office"}, "always": {Target: "notify"}},
		Hours: map[string]configs.Hours{"office": {
			Timezone:   "Asia/Seoul",
			Weekly:     map[string][]string{"mon-fri": {"13:00-18:00", "09:00-12:00"}, "sat": {"10:00-13:00"}},
			Holidays:   []string{"kr"},
			Exceptions: map[string][]string{"2026-12-31": {"09:00-12:00"}, "2026-12-24": {}},
		}},
	}}
	// 2026-09-24..26 추석 (Thu–Sat) in this fixture's calendar.
	h, err := NewHours(cfg, fixedHolidays{"2026-09-24": true, "2026-09-25": true, "2026-09-26": true}, OverrideNone)
	if err != nil {
		t.Fatal(err)
	}
	kst := time.FixedZone("KST", 9*3600)
	at := func(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, kst) }
	for _, tc := range []struct {
		name     string
		queue    string
		t        time.Time
		open     bool
		wantNext time.Time
	}{
		{"monday morning", "general", at(2026, 11, 23, 9, 0), true, time.Time{}},
		{"lunch hour of a split shift", "general", at(2026, 11, 23, 12, 30), false, at(2026, 11, 23, 13, 0)},
		{"last minute before lunch", "general", at(2026, 11, 23, 11, 59), true, time.Time{}},
		{"closing time is closed", "general", at(2026, 11, 23, 18, 0), false, at(2026, 11, 24, 9, 0)},
		{"before opening", "general", at(2026, 11, 23, 3, 0), false, at(2026, 11, 23, 9, 0)},
		{"friday night opens saturday", "general", at(2026, 11, 27, 20, 0), false, at(2026, 11, 28, 10, 0)},
		{"saturday afternoon opens monday", "general", at(2026, 11, 28, 13, 30), false, at(2026, 11, 30, 9, 0)},
		{"holiday closes a weekday", "general", at(2026, 9, 24, 10, 0), false, at(2026, 9, 28, 9, 0)},
		{"exception: short day open", "general", at(2026, 12, 31, 10, 0), true, time.Time{}},
		{"exception: short day afternoon", "general", at(2026, 12, 31, 14, 0), false, at(2027, 1, 1, 9, 0)},
		{"exception: closed day", "general", at(2026, 12, 24, 10, 0), false, at(2026, 12, 25, 9, 0)},
		{"queue without hours", "always", at(2026, 11, 29, 3, 0), true, time.Time{}},
		{"UTC instant in KST office hours", "general", time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC), true, time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			open, next := h.Open(tc.queue, tc.t)
			if open != tc.open || !next.Equal(tc.wantNext) {
				t.Fatalf("Open(%s, %v) = %v, %v; want %v, %v", tc.queue, tc.t, open, next, tc.open, tc.wantNext)
			}
		})
	}
}

func TestHoursOverride(t *testing.T) {
	cfg := &configs.Config{Handoff: configs.Handoff{
		Queues: map[string]configs.Queue{"general": {Target: "notify", Hours: "office"}},
		Hours:  map[string]configs.Hours{"office": {Timezone: "Asia/Seoul", Weekly: map[string][]string{"mon-fri": {"09:00-18:00"}}}},
	}}
	sunday := time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC)
	monday := time.Date(2026, 11, 23, 3, 0, 0, 0, time.UTC) // 12:00 KST
	for _, tc := range []struct {
		o            Override
		sunOpen, mon bool
	}{{OverrideNone, false, true}, {OverrideOpen, true, true}, {OverrideClosed, false, false}} {
		h, err := NewHours(cfg, nil, tc.o)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := h.Open("general", sunday); got != tc.sunOpen {
			t.Errorf("override %q: sunday open = %v, want %v", tc.o, got, tc.sunOpen)
		}
		if got, _ := h.Open("general", monday); got != tc.mon {
			t.Errorf("override %q: monday noon open = %v, want %v", tc.o, got, tc.mon)
		}
	}
	if _, err := NewHours(cfg, nil, "maybe"); err == nil {
		t.Fatal("override \"maybe\" accepted")
	}
}
