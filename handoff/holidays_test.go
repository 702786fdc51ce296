package handoff

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"
)

// writeCalendar writes a calendar file into dir.
func writeCalendar(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name+".yaml"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// calendarDir is a temp dir holding a copy of the shipped kr calendar.
func calendarDir(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile("../configs/holidays/kr.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeCalendar(t, dir, "kr", string(raw))
	return dir
}

func TestKoreanCalendarNamedDates(t *testing.T) {
	c := krCalendars(t)
	for _, tc := range []struct {
		date  string
		kinds []string // nil: not a holiday
	}{
		{"2024-02-12", []string{HolidaySubstitute}}, // 대체공휴일(설날)
		{"2024-04-10", []string{HolidayElection}},   // 제22대 국회의원선거
		{"2024-10-01", []string{HolidayTemporary}},  // 국군의 날 임시공휴일
		{"2025-01-27", []string{HolidayTemporary}},
		{"2025-01-28", []string{HolidayLunar}},
		{"2025-01-29", []string{HolidayLunar}},
		{"2025-01-30", []string{HolidayLunar}},
		{"2025-01-31", nil},
		{"2025-05-05", []string{HolidayFixed, HolidayLunar}}, // 어린이날 + 부처님 오신 날
		{"2025-06-03", []string{HolidayElection}},            // 대통령선거
		{"2025-10-05", []string{HolidayLunar}},
		{"2025-10-07", []string{HolidayLunar}},
		{"2025-10-08", []string{HolidaySubstitute}}, // 대체공휴일(추석)
		{"2025-10-10", nil},
		{"2026-02-16", []string{HolidayLunar}},
		{"2026-02-18", []string{HolidayLunar}},
		{"2026-02-19", nil},
		{"2026-05-01", []string{HolidayFixed}}, // 노동절
		{"2026-06-03", []string{HolidayElection}},
		{"2026-07-17", []string{HolidayFixed}}, // 제헌절
		{"2027-05-03", []string{HolidaySubstitute}},
		{"2027-12-27", []string{HolidaySubstitute}},
		{"2026-11-23", nil},
	} {
		t.Run(tc.date, func(t *testing.T) {
			d, _ := time.Parse(time.DateOnly, tc.date)
			if got, want := c.IsHoliday("kr", d.Year(), d.Month(), d.Day()), tc.kinds != nil; got != want {
				t.Fatalf("IsHoliday: got %v, want %v", got, want)
			}
			var kinds []string
			for _, h := range c.Lookup("kr", d.Year(), d.Month(), d.Day()) {
				kinds = append(kinds, h.Kind)
			}
			if diff := cmp.Diff(tc.kinds, kinds); diff != "" {
				t.Fatalf("kinds (-want +got):\n%s", diff)
			}
		})
	}
	if got, want := c.Years("kr"), []int{2024, 2025, 2026, 2027}; !slices.Equal(got, want) {
		t.Errorf("Years: got %v, want %v", got, want)
	}
	if c.IsHoliday("acme", 2025, 1, 29) {
		t.Error("an unknown calendar has a holiday")
	}
}

func TestCompanyCalendarReload(t *testing.T) {
	dir := calendarDir(t)
	c, err := LoadCalendars(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := officeConfig("kr", "acme")
	if _, err := NewHours(cfg, c, OverrideNone); !errors.Is(err, ErrUnknownCalendar) {
		t.Fatalf("before the file: got %v, want ErrUnknownCalendar", err)
	}
	writeCalendar(t, dir, "acme", `# 샘플몰 회사 휴무일
years: [2026, 2027]
holidays:
  - {date: "2026-11-24", name: 창립기념일}
  - {date: "2026-12-31", name: 종무식, kind: company}
`)
	if c.IsHoliday("acme", 2026, 11, 24) {
		t.Fatal("the new file counts before Reload")
	}
	if _, err := c.Reload(ConfigCalendars(cfg)...); err != nil {
		t.Fatal(err)
	}
	if got, want := c.Names(), []string{"acme", "kr"}; !slices.Equal(got, want) {
		t.Fatalf("Names: got %v, want %v", got, want)
	}
	h, err := NewHours(cfg, c, OverrideNone)
	if err != nil {
		t.Fatal(err)
	}
	// Monday 18:30 → Tuesday is 창립기념일 → Wednesday 09:00.
	if open, next := h.Open("general", kst(2026, 11, 23, 18, 30)); open || !next.Equal(kst(2026, 11, 25, 9, 0)) {
		t.Fatalf("Open before the company day: got %v, %v; want false, %v", open, next, kst(2026, 11, 25, 9, 0))
	}
	if got := c.Lookup("acme", 2026, 12, 31); len(got) != 1 || got[0].Kind != HolidayCompany || got[0].Name != "종무식" {
		t.Fatalf("Lookup 2026-12-31: got %+v", got)
	}

	// A broken edit is refused and the loaded calendars stay.
	writeCalendar(t, dir, "acme", "holidays:\n  - {date: \"2026-13-01\", name: 오류}\n")
	_, err = c.Reload(ConfigCalendars(cfg)...)
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "acme.yaml")) {
		t.Fatalf("Reload of a bad file: got %v, want an error naming acme.yaml", err)
	}
	if !c.IsHoliday("acme", 2026, 11, 24) {
		t.Fatal("a failed reload dropped the loaded calendar")
	}
	// A calendar the config to take effect names cannot disappear on reload.
	if err := os.Remove(filepath.Join(dir, "acme.yaml")); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Reload(ConfigCalendars(cfg)...); !errors.Is(err, ErrUnknownCalendar) {
		t.Fatalf("Reload without a required calendar: got %v, want ErrUnknownCalendar", err)
	}
	if !c.IsHoliday("acme", 2026, 11, 24) {
		t.Fatal("a refused reload dropped the loaded calendar")
	}
	// One that only the config in force names may: the new config drops it.
	kr := officeConfig("kr")
	undo, err := c.Reload(ConfigCalendars(kr)...)
	if err != nil {
		t.Fatalf("Reload for a config without acme: %v", err)
	}
	if c.IsHoliday("acme", 2026, 11, 24) {
		t.Fatal("acme still loaded after its file went and the config dropped it")
	}
	// A reload refused after this step puts the calendars back.
	undo()
	if !c.IsHoliday("acme", 2026, 11, 24) {
		t.Fatal("undo did not put the calendars back")
	}
	if _, err := c.Reload(ConfigCalendars(cfg)...); !errors.Is(err, ErrUnknownCalendar) {
		t.Fatalf("after undo, a reload for the acme config: got %v, want ErrUnknownCalendar", err)
	}
}

// TestCalendarFileErrors: a calendar file that cannot be loaded is named
// first, as config errors are (file:line:col: when the place is known),
// then what is wrong and how to fix it — no package prefix.
func TestCalendarFileErrors(t *testing.T) {
	for _, tc := range []struct{ name, file, body, want string }{
		{"bad date", "acme", "holidays:\n  - {date: \"2026/02/03\", name: x}\n", ":2:12: holidays[0]: date \"2026/02/03\" must be YYYY-MM-DD"},
		{"no such day", "acme", "holidays:\n  - {date: \"2026-02-30\", name: x}\n", ":2:12: holidays[0]: date \"2026-02-30\" is not a date: 2026-02 has 28 days"},
		{"bad kind", "acme", "holidays:\n  - {date: \"2026-02-03\", name: x, kind: lunarish}\n", ":2:41: holidays[0] (2026-02-03): kind \"lunarish\""},
		{"empty name", "acme", "holidays:\n  - {date: \"2026-02-03\", name: \"\"}\n", ":2:32: holidays[0] (2026-02-03): name is empty"},
		{"unknown field", "acme", "holidays:\n  - {date: \"2026-02-03\", name: x, day: 3}\n",
			":2:35: unknown field \"day\" (a calendar file has years: [2026, …] and holidays: entries of date, name and kind; see docs/hours.md)"},
		{"date outside years", "acme", "years: [2026]\nholidays:\n  - {date: \"2027-02-03\", name: x}\n", ":3:12: holidays[0]: 2027-02-03 is outside the years"},
		{"year out of range", "acme", "years: [2026, 3026]\n", ":1:15: years[1]: year 3026 is out of range: write a year from 1900 to 2200"},
		{"bad file name", "Acme", "holidays: []\n", ": a holiday calendar's file name must be <name>.yaml with a name of a-z, 0-9, _ or - (it is the name handoff.hours lists): rename the file (e.g. to acme.yaml)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeCalendar(t, dir, tc.file, tc.body)
			_, err := LoadCalendars(dir, nil)
			if want := filepath.Join(dir, tc.file+".yaml") + tc.want; err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Fatalf("got %v, want an error starting %q", err, want)
			}
			if testing.Verbose() {
				t.Log(err)
			}
		})
	}
	missing := filepath.Join(t.TempDir(), "missing")
	c, err := LoadCalendars(missing, nil)
	if err != nil || len(c.Names()) != 0 {
		t.Fatalf("a missing directory: got %v, %v; want no calendars, nil", c.Names(), err)
	}
	if _, err := NewHours(officeConfig("kr"), c, OverrideNone); !errors.Is(err, ErrUnknownCalendar) || !strings.Contains(err.Error(), filepath.Join(missing, "kr.yaml")) {
		t.Fatalf("NewHours on a missing directory: got %v, want ErrUnknownCalendar naming %s", err, filepath.Join(missing, "kr.yaml"))
	}
}

// gaugeValues scrapes the years-missing gauge by calendar.
func gaugeValues(t *testing.T, c *Calendars) map[string]float64 {
	t.Helper()
	reg := prometheus.NewRegistry()
	reg.MustRegister(c.Collector())
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		if mf.GetName() != "baton_holiday_calendar_years_missing" {
			continue
		}
		for _, m := range mf.GetMetric() {
			out[m.GetLabel()[0].GetValue()] = m.GetGauge().GetValue()
		}
	}
	return out
}

func TestCalendarReadiness(t *testing.T) {
	dir := t.TempDir()
	writeCalendar(t, dir, "kr", "years: [2026]\nholidays:\n  - {date: \"2026-01-01\", name: 1월 1일, kind: fixed}\n")
	c, err := LoadCalendars(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := kst(2026, 6, 1, 12, 0)
	c.Now = func() time.Time { return now }
	if err := c.Check(now); err != nil {
		t.Fatalf("Check before any config names kr: got %v, want nil (a calendar no hours use warns nobody)", err)
	}
	if diff := cmp.Diff(map[string]float64{}, gaugeValues(t, c)); diff != "" {
		t.Fatalf("gauge before any config names kr (-want +got):\n%s", diff)
	}
	if err := c.Require("kr"); err != nil {
		t.Fatal(err)
	}

	err = c.Check(now)
	if err == nil || !strings.Contains(err.Error(), "has no 2027") || !strings.Contains(err.Error(), filepath.Join(dir, "kr.yaml")) {
		t.Fatalf("Check with next year missing: got %v, want a warning naming kr.yaml and 2027", err)
	}
	if diff := cmp.Diff(map[string]float64{"kr": 1}, gaugeValues(t, c)); diff != "" {
		t.Fatalf("gauge (-want +got):\n%s", diff)
	}

	// The next year arrives with a reload: no warning, gauge 0.
	writeCalendar(t, dir, "kr", "years: [2026, 2027]\nholidays:\n  - {date: \"2027-01-01\", name: 1월 1일, kind: fixed}\n")
	if _, err := c.Reload("kr"); err != nil {
		t.Fatal(err)
	}
	if err := c.Check(now); err != nil {
		t.Fatalf("Check with both years: got %v, want nil", err)
	}
	if diff := cmp.Diff(map[string]float64{"kr": 0}, gaugeValues(t, c)); diff != "" {
		t.Fatalf("gauge (-want +got):\n%s", diff)
	}

	// 2026-12-31 15:30 UTC is already 2027 in Seoul: 2028 is missing.
	now = time.Date(2026, 12, 31, 15, 30, 0, 0, time.UTC)
	if err := c.Check(now); err == nil || !strings.Contains(err.Error(), "has no 2028") {
		t.Fatalf("Check on new year's day in Seoul: got %v, want 2028 missing", err)
	}
	// Years past the file: both missing.
	now = kst(2030, 1, 1, 0, 0)
	if diff := cmp.Diff(map[string]float64{"kr": 2}, gaugeValues(t, c)); diff != "" {
		t.Fatalf("gauge (-want +got):\n%s", diff)
	}
	if err := c.Check(now); err == nil || !strings.Contains(err.Error(), "has no 2030, 2031") {
		t.Fatalf("Check in 2030: got %v", err)
	}
}

func TestBuiltinCalendars(t *testing.T) {
	dir := t.TempDir() // no files: the built-in kr serves
	c, err := LoadCalendars(dir, configs.HolidayCalendars())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Years("kr"), []int{2024, 2025, 2026, 2027}; !slices.Equal(got, want) {
		t.Fatalf("built-in kr years: got %v, want %v", got, want)
	}
	if !c.IsHoliday("kr", 2026, 2, 17) {
		t.Fatal("built-in kr lacks 설날 2026")
	}
	if err := c.Require("kr"); err != nil {
		t.Fatal(err)
	}
	err = c.Check(kst(2027, 3, 1, 0, 0))
	if err == nil || !strings.Contains(err.Error(), "built-in kr.yaml") {
		t.Fatalf("Check on the built-in calendar: got %v, want it named built-in kr.yaml", err)
	}
	// A kr.yaml in the directory replaces the built-in one.
	writeCalendar(t, dir, "kr", "years: [2026, 2027]\nholidays:\n  - {date: \"2026-11-23\", name: 테스트, kind: temporary}\n")
	if _, err := c.Reload(); err != nil {
		t.Fatal(err)
	}
	if c.IsHoliday("kr", 2026, 2, 17) || !c.IsHoliday("kr", 2026, 11, 23) {
		t.Fatal("the directory's kr.yaml did not replace the built-in one")
	}
}

// TestRequireNamesYMLFile: a calendar saved as <name>.yml is not read, and
// the error serve stops with says to rename it.
func TestRequireNamesYMLFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "shop.yml"), []byte("years: [2026]\nholidays:\n  - {date: \"2026-11-24\", name: 창립기념일}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := LoadCalendars(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = c.Require("shop")
	want := "; found " + filepath.Join(dir, "shop.yml") + ": calendars are read from .yaml files only, rename it to shop.yaml"
	if !errors.Is(err, ErrUnknownCalendar) || err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Fatalf("got %v, want ErrUnknownCalendar ending %q", err, want)
	}
}

// TestCalendarDateThatDoesNotExist: a holiday on a day the month lacks
// stops the load saying so, not that the date must be YYYY-MM-DD, at the
// date's file:line:col.
func TestCalendarDateThatDoesNotExist(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "shop.yaml"), []byte("years: [2026]\nholidays:\n  - {date: \"2026-11-31\", name: 창립기념일}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadCalendars(dir, nil)
	want := filepath.Join(dir, "shop.yaml") + `:3:12: holidays[0]: date "2026-11-31" is not a date: 2026-11 has 30 days`
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %q (file:line:col of the date first)", err, want)
	}
}
