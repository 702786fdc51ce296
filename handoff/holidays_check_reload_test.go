package handoff

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestCalendarsCheckDuringReload: the readiness check (GET /readyz,
// Calendars.Check) reads one calendar set, so a reload that drops an
// incomplete calendar meanwhile (docs/hours.md §2 "Reloading": drop it from
// the config, delete its file, reload) cannot make it panic. It read the
// set twice, once in Missing and once per calendar for its file name, and
// dereferenced a nil *calendar.
func TestCalendarsCheckDuringReload(t *testing.T) {
	dir := calendarDir(t)
	old := filepath.Join(dir, "acme.yaml")
	body := []byte("years: [2020]\nholidays:\n  - {date: \"2020-11-24\", name: 창립기념일}\n")
	if err := os.WriteFile(old, body, 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := LoadCalendars(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := kst(2026, 11, 25, 9, 0)
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; !stop.Load(); i++ {
			if i%2 == 0 {
				_ = os.Remove(old)
			} else {
				_ = os.WriteFile(old, body, 0o644)
			}
			if _, err := c.Reload("kr"); err != nil {
				t.Error(err)
				return
			}
		}
	})
	var panicked atomic.Value
	deadline := time.Now().Add(5 * time.Second)
	func() {
		defer func() {
			if r := recover(); r != nil {
				panicked.Store(fmt.Sprint(r))
			}
		}()
		for time.Now().Before(deadline) {
			_ = c.Check(now)
		}
	}()
	stop.Store(true)
	wg.Wait()
	if p := panicked.Load(); p != nil {
		t.Fatalf("Calendars.Check panicked during a reload that dropped a calendar: %v", p)
	}
}
