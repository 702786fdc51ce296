package handoff

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
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

// officeConfig is the example office: a split shift on weekdays, the
// Korean public holidays, in Seoul.
func officeConfig(holidays ...string) *configs.Config {
	return &configs.Config{Handoff: configs.Handoff{
		Queues: map[string]configs.Queue{"general": {Target: "notify", Hours: "office"}, "vip": {Target: "dealer:happytalk", Hours: "office"}},
		Hours: map[string]configs.Hours{"office": {
			Timezone:   "Asia/Seoul",
			Weekly:     map[string][]string{"mon-fri": {"09:00-12:00", "13:00-18:00"}},
			Holidays:   holidays,
			Exceptions: map[string][]string{"2027-02-09": {"10:00-14:00"}},
		}},
	}}
}

// krCalendars loads the shipped calendars (configs/holidays).
func krCalendars(t testing.TB) *Calendars {
	t.Helper()
	c, err := LoadCalendars("../configs/holidays", nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// kst builds a wall-clock time in Seoul.
func kst(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, time.FixedZone("KST", 9*3600))
}

// TestHoursKoreanHolidays runs the office against the shipped kr calendar
// on named dates.
func TestHoursKoreanHolidays(t *testing.T) {
	h, err := NewHours(officeConfig("kr"), krCalendars(t), OverrideNone)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		t        time.Time
		open     bool
		wantNext time.Time
	}{
		// 설 2025: 01-27 임시공휴일 (Mon), 01-28..30 설 연휴 (Tue–Thu).
		{"friday evening before 설 2025", kst(2025, 1, 24, 19, 0), false, kst(2025, 1, 31, 9, 0)},
		{"설날 2025", kst(2025, 1, 29, 10, 0), false, kst(2025, 1, 31, 9, 0)},
		{"day after 설 2025 opens", kst(2025, 1, 31, 9, 0), true, time.Time{}},
		// 설 2026: 02-16..18 (Mon–Wed), no substitute day.
		{"friday evening before 설 2026", kst(2026, 2, 13, 18, 30), false, kst(2026, 2, 19, 9, 0)},
		{"설날 전날 2026", kst(2026, 2, 16, 10, 0), false, kst(2026, 2, 19, 9, 0)},
		{"설날 다음 날 2026 evening", kst(2026, 2, 18, 20, 0), false, kst(2026, 2, 19, 9, 0)},
		// 설 2024 fell on a weekend: 02-12 (Mon) is 대체공휴일(설날).
		{"대체공휴일(설날) 2024", kst(2024, 2, 12, 10, 0), false, kst(2024, 2, 13, 9, 0)},
		// 추석 2025: 10-03 개천절, 10-05..07 추석, 10-08 대체공휴일(추석), 10-09 한글날.
		{"thursday evening before 추석 2025", kst(2025, 10, 2, 18, 0), false, kst(2025, 10, 10, 9, 0)},
		{"추석 2025", kst(2025, 10, 6, 11, 0), false, kst(2025, 10, 10, 9, 0)},
		{"대체공휴일(추석) 2025", kst(2025, 10, 8, 11, 0), false, kst(2025, 10, 10, 9, 0)},
		// Election days.
		{"대통령선거 2025-06-03", kst(2025, 6, 3, 10, 0), false, kst(2025, 6, 4, 9, 0)},
		{"지방선거 2026-06-03", kst(2026, 6, 3, 10, 0), false, kst(2026, 6, 4, 9, 0)},
		{"국회의원선거 2024-04-10", kst(2024, 4, 10, 10, 0), false, kst(2024, 4, 11, 9, 0)},
		{"임시공휴일 2024-10-01", kst(2024, 10, 1, 10, 0), false, kst(2024, 10, 2, 9, 0)},
		// Days added since 2026.
		{"노동절 2026-05-01", kst(2026, 5, 1, 10, 0), false, kst(2026, 5, 4, 9, 0)},
		{"제헌절 2026-07-17", kst(2026, 7, 17, 10, 0), false, kst(2026, 7, 20, 9, 0)},
		// The split shift's lunch hour on an ordinary day.
		{"lunch hour", kst(2026, 2, 19, 12, 0), false, kst(2026, 2, 19, 13, 0)},
		{"after lunch", kst(2026, 2, 19, 13, 0), true, time.Time{}},
		// An exception beats the holiday: 2027-02-09 대체공휴일(설날) opens 10–14.
		{"exception on a substitute holiday", kst(2027, 2, 9, 11, 0), true, time.Time{}},
		{"before the exception's window", kst(2027, 2, 8, 20, 0), false, kst(2027, 2, 9, 10, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			open, next := h.Open("general", tc.t)
			if open != tc.open || !next.Equal(tc.wantNext) {
				t.Fatalf("Open(general, %v): got %v, %v; want %v, %v", tc.t, open, next, tc.open, tc.wantNext)
			}
		})
	}
}

func TestHoursUnknownCalendar(t *testing.T) {
	_, err := NewHours(officeConfig("kr", "acme"), krCalendars(t), OverrideNone)
	if !errors.Is(err, ErrUnknownCalendar) {
		t.Fatalf("got %v, want ErrUnknownCalendar", err)
	}
	want := filepath.Join("..", "configs", "holidays", "acme.yaml")
	if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "hours office") {
		t.Fatalf("got %q, want it to name hours office and %s", err, want)
	}
}

func TestHoursQueuesAndCalendars(t *testing.T) {
	h, err := NewHours(officeConfig("kr"), nil, OverrideNone)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := h.Queues(), []string{"general", "vip"}; !slices.Equal(got, want) {
		t.Errorf("Queues: got %v, want %v", got, want)
	}
	if got, want := h.Calendars(), []string{"kr"}; !slices.Equal(got, want) {
		t.Errorf("Calendars: got %v, want %v", got, want)
	}
}

func BenchmarkHoursOpen(b *testing.B) {
	h, err := NewHours(officeConfig("kr"), krCalendars(b), OverrideNone)
	if err != nil {
		b.Fatal(err)
	}
	friday := kst(2026, 2, 13, 18, 30) // the worst ordinary case: across 설
	b.ReportAllocs()
	for b.Loop() {
		if open, _ := h.Open("general", friday); open {
			b.Fatal("open")
		}
	}
}

// TestHoursWallClockOnClockChanges: a window is wall-clock time on the days
// a zone's clocks move (Asia/Seoul has none; a queue's timezone may): a
// "09:00-18:00" office in New York opens at 9 o'clock local time on the day
// after a spring-forward night and on the day after a fall-back one.
func TestHoursWallClockOnClockChanges(t *testing.T) {
	cfg := &configs.Config{Handoff: configs.Handoff{
		Queues: map[string]configs.Queue{"us": {Target: "notify", Hours: "ny"}},
		Hours: map[string]configs.Hours{"ny": {
			Timezone: "America/New_York",
			Weekly:   map[string][]string{"mon-sun": {"09:00-18:00"}},
		}},
	}}
	h, err := NewHours(cfg, fixedHolidays{}, OverrideNone)
	if err != nil {
		t.Fatal(err)
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	at := func(m time.Month, d, hh, mm int) time.Time { return time.Date(2026, m, d, hh, mm, 0, 0, ny) }
	// 2026-03-08 02:00 → 03:00 (spring forward), 2026-11-01 02:00 → 01:00 (fall back).
	for _, tc := range []struct {
		name     string
		t        time.Time
		open     bool
		wantNext time.Time
	}{
		{"spring-forward day, night before opening", at(3, 8, 4, 0), false, at(3, 8, 9, 0)},
		{"spring-forward day, 9:30", at(3, 8, 9, 30), true, time.Time{}},
		{"spring-forward day, 17:30", at(3, 8, 17, 30), true, time.Time{}},
		{"spring-forward day, 18:00 closed", at(3, 8, 18, 0), false, at(3, 9, 9, 0)},
		{"fall-back day, 8:30", at(11, 1, 8, 30), false, at(11, 1, 9, 0)},
		{"fall-back day, 17:30", at(11, 1, 17, 30), true, time.Time{}},
		{"fall-back day, 18:00 closed", at(11, 1, 18, 0), false, at(11, 2, 9, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			open, next := h.Open("us", tc.t)
			if open != tc.open || !next.Equal(tc.wantNext) {
				t.Fatalf("Open(%v) = %v, %v; want %v, %v", tc.t, open, next, tc.open, tc.wantNext)
			}
		})
	}
}
