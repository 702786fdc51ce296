package handoff

import (
	"cmp"
	"fmt"
	"maps"
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
	weekly     [7][]configs.Window      // by time.Weekday
	exceptions map[int][]configs.Window // by dateKey (yyyymmdd)
	calendars  []string
}

// Hours decides whether a queue takes handoffs at an instant and when it
// opens next. It is immutable and safe for concurrent use; a config reload
// builds a new one. It satisfies fsm.Hours.
type Hours struct {
	queues    map[string]*schedule // queue -> schedule; absent = always open
	known     map[string]bool      // every configured queue
	calendars []string             // holiday calendars the hours name, sorted
	holidays  Holidays
	override  Override
	// loc is the zone of a queue without hours: configs.DefaultTimezone.
	loc *time.Location
}

// calendarRequirer is implemented by holiday sources that can tell whether
// a named calendar exists (Calendars).
type calendarRequirer interface {
	Require(names ...string) error
}

// NewHours compiles the hours of every queue in cfg. holidays may be nil (no
// holiday closes a day). It returns an error naming the hours entry that does
// not parse (Load has normally caught that already), and, when holidays is
// a *Calendars, ErrUnknownCalendar naming the file it looked for if the
// config names a calendar the directory does not hold.
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
	loc, err := time.LoadLocation(configs.DefaultTimezone)
	if err != nil {
		return nil, fmt.Errorf("handoff: timezone %q: %w", configs.DefaultTimezone, err)
	}
	h := &Hours{queues: map[string]*schedule{}, known: map[string]bool{}, holidays: holidays, override: override, loc: loc}
	for q, qc := range cfg.Handoff.Queues {
		h.known[q] = true
		if qc.Hours == "" {
			continue
		}
		s, ok := compiled[qc.Hours]
		if !ok {
			return nil, fmt.Errorf("handoff: queue %s: unknown hours %q", q, qc.Hours)
		}
		h.queues[q] = s
	}
	r, check := holidays.(calendarRequirer)
	for _, name := range slices.Sorted(maps.Keys(compiled)) {
		cals := compiled[name].calendars
		if check && len(cals) > 0 {
			if err := r.Require(cals...); err != nil {
				return nil, fmt.Errorf("handoff: hours %s: %w", name, err)
			}
		}
		for _, cal := range cals {
			if !slices.Contains(h.calendars, cal) {
				h.calendars = append(h.calendars, cal)
			}
		}
	}
	slices.Sort(h.calendars)
	return h, nil
}

// Calendars returns the holiday calendars the config's hours name, sorted.
func (h *Hours) Calendars() []string { return slices.Clone(h.calendars) }

// Queues returns every configured queue name, sorted.
func (h *Hours) Queues() []string {
	out := make([]string, 0, len(h.known))
	for q := range h.known {
		out = append(out, q)
	}
	slices.Sort(out)
	return out
}

func compileSchedule(hc configs.Hours) (*schedule, error) {
	tz := hc.Timezone
	if tz == "" {
		tz = configs.DefaultTimezone
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, fmt.Errorf("timezone %q: %w", tz, err)
	}
	s := &schedule{loc: loc, exceptions: map[int][]configs.Window{}, calendars: hc.Holidays}
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
		d, err := time.Parse(time.DateOnly, date)
		if err != nil {
			return nil, fmt.Errorf("exception date %q: want YYYY-MM-DD", date)
		}
		ws, err := parseWindows(windows)
		if err != nil {
			return nil, err
		}
		sortWindows(ws)
		s.exceptions[dateKey(d.Year(), d.Month(), d.Day())] = ws
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
	y, m, d := midnight.Date()
	if ws, ok := s.exceptions[dateKey(y, m, d)]; ok {
		return ws // an exception beats weekly hours and holidays (company days)
	}
	if h.holidays != nil {
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
			// Wall-clock times of that day: time.Date normalises the
			// nanoseconds into hours and minutes before the zone applies,
			// so "09:00" is 9 o'clock also on a day a zone's clocks move
			// (midnight.Add would count elapsed time: 10:00 after a
			// spring-forward). Asia/Seoul has no such day; a queue's
			// timezone may.
			start := time.Date(y, m, d+i, 0, 0, 0, int(w.Start), s.loc)
			end := time.Date(y, m, d+i, 0, 0, 0, int(w.End), s.loc)
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
