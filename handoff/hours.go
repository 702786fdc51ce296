package handoff

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/baton-chat/baton/configs"
)

// Override forces every queue open or closed (BATON_HOURS_OVERRIDE).
type Override string

// Override values; empty means follow the schedules.
const (
	OverrideNone   Override = ""
	OverrideOpen   Override = "open"
	OverrideClosed Override = "closed"
)

// Holidays says whether a date is a holiday in a named calendar ("kr").
// Dates are local to the schedule's time zone.
type Holidays interface {
	IsHoliday(calendar string, year int, month time.Month, day int) bool
}

// schedule is one compiled `handoff.hours` entry.
type schedule struct {
	loc        *time.Location
	weekly     [7][]configs.Window // by time.Weekday
	exceptions map[string][]configs.Window
	calendars  []string
}

// Hours decides whether a queue takes handoffs at an instant and when it
// opens next. It is immutable and safe for concurrent use; a config reload
// builds a new one. It satisfies fsm.Hours.
type Hours struct {
	queues   map[string]*schedule // queue -> schedule; absent = always open
	holidays Holidays
	override Override
}

// NewHours compiles the hours of every queue in cfg. holidays may be nil (no
// holiday closes a day). It returns an error naming the hours entry that does
// not parse; Load has normally caught that already.
func NewHours(cfg *configs.Config, holidays Holidays, override Override) (*Hours, error) {
	switch override {
	case OverrideNone, OverrideOpen, OverrideClosed:
	default:
		return nil, fmt.Errorf("handoff: hours override %q: want open or closed", override)
	}
	compiled := map[string]*schedule{}
	for name, hc := range cfg.Handoff.Hours {
		s, err := compileSchedule(hc)
		if err != nil {
			return nil, fmt.Errorf("handoff: hours %s: %w", name, err)
		}
		compiled[name] = s
	}
	h := &Hours{queues: map[string]*schedule{}, holidays: holidays, override: override}
	for q, qc := range cfg.Handoff.Queues {
		if qc.Hours == "" {
			continue
		}
		s, ok := compiled[qc.Hours]
		if !ok {
			return nil, fmt.Errorf("handoff: queue %s: unknown hours %q", q, qc.Hours)
		}
		h.queues[q] = s
	}
	return h, nil
}

func compileSchedule(hc configs.Hours) (*schedule, error) {
	tz := hc.Timezone
	if tz == "" {
		tz = "Asia/Seoul"
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, fmt.Errorf("timezone %q: %w", tz, err)
	}
	s := &schedule{loc: loc, exceptions: map[string][]configs.Window{}, calendars: hc.Holidays}
	for spec, windows := range hc.Weekly {
		days, err := configs.ParseDays(spec)
		if err != nil {
			return nil, err
		}
		ws, err := parseWindows(windows)
		if err != nil {
			return nil, err
		}
		for _, d := range days {
			s.weekly[d] = append(s.weekly[d], ws...)
		}
	}
	for d := range s.weekly {
		sortWindows(s.weekly[d])
	}
	for date, windows := range hc.Exceptions {
		if _, err := time.Parse(time.DateOnly, date); err != nil {
			return nil, fmt.Errorf("exception date %q: want YYYY-MM-DD", date)
		}
		ws, err := parseWindows(windows)
		if err != nil {
			return nil, err
		}
		sortWindows(ws)
		s.exceptions[date] = ws
	}
	return s, nil
}

func sortWindows(ws []configs.Window) {
	slices.SortFunc(ws, func(a, b configs.Window) int { return cmp.Compare(a.Start, b.Start) })
}

func parseWindows(in []string) ([]configs.Window, error) {
	out := make([]configs.Window, 0, len(in))
	for _, w := range in {
		win, err := configs.ParseWindow(w)
		if err != nil {
			return nil, err
		}
		out = append(out, win)
	}
	return out, nil
}

// windows returns the opening windows of the local day that starts at midnight.
func (h *Hours) windows(s *schedule, midnight time.Time) []configs.Window {
	if ws, ok := s.exceptions[midnight.Format(time.DateOnly)]; ok {
		return ws // an exception beats weekly hours and holidays (company days)
	}
	if h.holidays != nil {
		y, m, d := midnight.Date()
		for _, cal := range s.calendars {
			if h.holidays.IsHoliday(cal, y, m, d) {
				return nil
			}
		}
	}
	return s.weekly[midnight.Weekday()]
}

// maxLookahead bounds the search for the next opening (a queue closed for
// longer than this reports no next opening).
const maxLookahead = 400

// Open reports whether queue takes handoffs at t and, when it does not, the
// next instant it opens (zero when none within a year, or when forced
// closed). A queue without hours is always open.
func (h *Hours) Open(queue string, t time.Time) (bool, time.Time) {
	switch h.override {
	case OverrideOpen:
		return true, time.Time{}
	case OverrideClosed:
		return false, time.Time{}
	}
	s, ok := h.queues[queue]
	if !ok {
		return true, time.Time{}
	}
	local := t.In(s.loc)
	y, m, d := local.Date()
	for i := 0; i < maxLookahead; i++ {
		midnight := time.Date(y, m, d+i, 0, 0, 0, 0, s.loc)
		for _, w := range h.windows(s, midnight) {
			start, end := midnight.Add(w.Start), midnight.Add(w.End)
			if i == 0 && !local.Before(start) && local.Before(end) {
				return true, time.Time{}
			}
			if start.After(local) {
				return false, start
			}
		}
	}
	return false, time.Time{}
}
