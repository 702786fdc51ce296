package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/handoff"
)

// calendarDir writes body as the company calendar acme.yaml in a new
// directory and returns the directory.
func calendarDir(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "acme.yaml"), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestCalendarWithBOM: a company calendar saved by a Windows editor as
// "UTF-8 with BOM" made `baton validate` (and serve, and a reload) fail
// with `unknown field "\ufeffyears"`, an invisible character; the config
// file itself is read past its BOM (configs.ParseWith). A calendar that is
// not UTF-8 is refused as the config is.
func TestCalendarWithBOM(t *testing.T) {
	dir := calendarDir(t, "\xef\xbb\xbfyears: [2026]\nholidays:\n  - {date: \"2026-11-24\", name: 창립기념일}\n")
	var out, errb bytes.Buffer
	if code := run([]string{"validate", "--config", exampleConfig, "--holidays", dir}, nil, &out, &errb); code != 0 {
		t.Errorf("baton validate with a BOM-prefixed calendar: exit %d, want 0; stderr %q", code, errb.String())
	}
	dir = calendarDir(t, "years: [2026]\nholidays:\n  - {date: \"2026-11-24\", name: \xc3\xa2\xb0\xb8}\n")
	_, err := handoff.LoadCalendars(dir, nil)
	if want := filepath.Join(dir, "acme.yaml") + ":3:33: byte 0xb0 is not UTF-8"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("a CP949 calendar: got %v, want %q…", err, want)
	}
}

// TestCalendarSecondDocumentIgnored: holidays appended to a calendar after
// a "---" were silently dropped: that day stayed open. The config loader
// refuses a second document, and so does the calendar loader now.
func TestCalendarSecondDocumentIgnored(t *testing.T) {
	dir := calendarDir(t, "years: [2026]\nholidays:\n  - {date: \"2026-11-24\", name: 창립기념일}\n---\nyears: [2027]\nholidays:\n  - {date: \"2027-08-02\", name: 하계 휴가}\n")
	c, err := handoff.LoadCalendars(dir, nil)
	if err == nil {
		if !c.IsHoliday("acme", 2027, time.August, 2) {
			t.Errorf("calendar with a second document loaded; its 2027-08-02 holiday is silently ignored (years %v)", c.Years("acme"))
		}
		return
	}
	if want := filepath.Join(dir, "acme.yaml") + ":4:1: only one YAML document is allowed (remove the second ---)"; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %v, want %q…", err, want)
	}
}

// TestCalendarMergeBombFailsFast: a 374-byte calendar file of merge keys
// cost over 100 MiB before it was refused; each further line ×9.
// Calendars are read at start and on every reload.
func TestCalendarMergeBombFailsFast(t *testing.T) {
	var b strings.Builder
	b.WriteString("years: [2026]\nholidays:\n  - &h0 {date: \"2026-11-24\", name: a}\n")
	for i := 1; i <= 6; i++ {
		fmt.Fprintf(&b, "  - &h%d {<<: [%s]}\n", i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*h%d,", i-1), 9), ","))
	}
	dir := calendarDir(t, b.String())
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	before := ms.TotalAlloc
	start := time.Now()
	_, err := handoff.LoadCalendars(dir, nil)
	took := time.Since(start)
	runtime.ReadMemStats(&ms)
	if mib := (ms.TotalAlloc - before) >> 20; mib > 16 {
		t.Errorf("a %d-byte calendar allocated %d MiB in %v (err %v); want a fast, cheap refusal", b.Len(), mib, took, err)
	}
	if err == nil || !strings.Contains(err.Error(), "acme.yaml:8:") || !strings.Contains(err.Error(), "copy more than") {
		t.Errorf("got %v, want the alias budget error at the line whose aliases pass it", err)
	}
	// A merge with an override is what merge keys are for.
	dir = calendarDir(t, "years: [2026]\nholidays:\n  - &h {date: \"2026-11-24\", name: 창립기념일}\n  - {<<: *h, date: \"2026-11-25\"}\n")
	c, err := handoff.LoadCalendars(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Lookup("acme", 2026, time.November, 25); len(got) != 1 || got[0].Name != "창립기념일" {
		t.Errorf("the merged holiday: got %v", got)
	}
}
