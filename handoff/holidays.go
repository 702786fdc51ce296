package handoff

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/prometheus/client_golang/prometheus"
)

// DefaultHolidaysDir is where `baton serve` looks for holiday calendars.
const DefaultHolidaysDir = "configs/holidays"

// Holiday kinds in a calendar file. Company calendars may leave the kind
// out; it then reads "company".
const (
	HolidayFixed      = "fixed"      // a solar date set by law (3ㆍ1절, 한글날)
	HolidayLunar      = "lunar"      // 설날, 추석, 부처님 오신 날
	HolidaySubstitute = "substitute" // 대체공휴일
	HolidayElection   = "election"   // 선거일
	HolidayTemporary  = "temporary"  // 임시공휴일
	HolidayCompany    = "company"    // a company's own day off (창립기념일)
)

var (
	holidayKinds   = []string{HolidayFixed, HolidayLunar, HolidaySubstitute, HolidayElection, HolidayTemporary, HolidayCompany}
	calendarNameRE = regexp.MustCompile(`^[a-z0-9_-]+$`)
)

// ErrUnknownCalendar is returned (wrapped, naming the file Baton looked for)
// when the config names a holiday calendar the directory does not hold.
var ErrUnknownCalendar = errors.New("unknown holiday calendar")

// Holiday is one day off in a calendar.
type Holiday struct {
	Date string `yaml:"date"` // YYYY-MM-DD, local to the schedule's time zone
	Name string `yaml:"name"` // Korean name, e.g. 대체공휴일(추석)
	Kind string `yaml:"kind"` // Holiday*; empty in a file reads "company"
}

// calendarFile is the YAML of one calendar file.
type calendarFile struct {
	// Years the file covers completely. Empty: the years its dates fall in.
	Years    []int     `yaml:"years"`
	Holidays []Holiday `yaml:"holidays"`
}

// calendar is one loaded file.
type calendar struct {
	file  string
	years []int             // sorted
	days  map[int][]Holiday // by yyyymmdd
}

// Calendars are the holiday calendars of a directory: every `<name>.yaml`
// in it is the calendar `<name>` ("kr" is configs/holidays/kr.yaml, a
// company calendar is just another file), over those built into the binary. They are loaded at start, can be
// reloaded at run time (an atomic swap: readers never see half a reload),
// and are safe for concurrent use. Calendars satisfies Holidays.
type Calendars struct {
	dir  string
	base fs.FS
	// Now is the clock of the readiness gauge; default time.Now.
	Now func() time.Time

	cur      atomic.Pointer[map[string]*calendar]
	mu       sync.Mutex // serialises Reload and Require
	required map[string]bool
	seoul    *time.Location
}

// LoadCalendars reads every *.yaml file of dir as a calendar named after
// the file, on top of the *.yaml files at the root of base (the calendars
// shipped in the binary, configs.HolidayCalendars; nil for none): a file in
// dir replaces the base calendar of the same name. It returns an error
// naming the file that does not parse or holds a bad date, kind or year, or
// when dir cannot be read. A missing directory adds no calendars (a config
// that names a calendar nobody has then fails in NewHours, naming the file
// it looked for).
func LoadCalendars(dir string, base fs.FS) (*Calendars, error) {
	seoul, err := time.LoadLocation("Asia/Seoul")
	if err != nil {
		seoul = time.FixedZone("KST", 9*3600) // Korea keeps no summer time
	}
	c := &Calendars{dir: dir, base: base, required: map[string]bool{}, seoul: seoul}
	set, err := readCalendars(dir, base)
	if err != nil {
		return nil, err
	}
	c.cur.Store(&set)
	return c, nil
}

// Dir is the directory the calendars are read from.
func (c *Calendars) Dir() string { return c.dir }

// Reload re-reads the directory and swaps the new calendars in, for a
// config about to take effect that names the calendars names
// (ConfigCalendars): those become the required ones (see Require), and a
// calendar only the config in force named may be gone. On any error — a
// file that does not parse, or one of names without a file — it keeps the
// calendars it had and returns the error. undo puts back the calendars and
// the requirements there were before: for a reload refused after this step,
// which keeps the config in force.
func (c *Calendars) Reload(names ...string) (undo func(), err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	set, err := readCalendars(c.dir, c.base)
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		if _, ok := set[name]; !ok {
			return nil, fmt.Errorf("handoff: reload holidays: %w %q: no file %s%s", ErrUnknownCalendar, name, c.path(name), YMLHint(c.dir, name))
		}
	}
	prevSet, prevRequired := c.cur.Load(), c.required
	c.required = map[string]bool{}
	for _, name := range names {
		c.required[name] = true
	}
	c.cur.Store(&set)
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.cur.Store(prevSet)
		c.required = prevRequired
	}, nil
}

// ConfigCalendars is the holiday calendars cfg's hours name, sorted (those
// NewHours requires).
func ConfigCalendars(cfg *configs.Config) []string {
	var names []string
	for _, h := range cfg.Handoff.Hours {
		for _, name := range h.Holidays {
			if !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
	}
	slices.Sort(names)
	return names
}

// Require checks that every named calendar is loaded and remembers the
// names, so that a later Reload that would drop one fails instead. It
// returns ErrUnknownCalendar (wrapped, naming the file it looked for) for
// the first missing one. NewHours calls it with the calendars the config
// names.
func (c *Calendars) Require(names ...string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	set := *c.cur.Load()
	for _, n := range names {
		if _, ok := set[n]; !ok {
			return fmt.Errorf("%w %q: no file %s%s", ErrUnknownCalendar, n, c.path(n), YMLHint(c.dir, n))
		}
	}
	for _, n := range names {
		c.required[n] = true
	}
	return nil
}

func (c *Calendars) path(name string) string { return filepath.Join(c.dir, name+".yaml") }

// YMLHint is the hint for a calendar name whose <name>.yaml is missing from
// dir while a <name>.yml is there (only .yaml files are read): "; found
// dir/name.yml: rename it to name.yaml", else "".
func YMLHint(dir, name string) string {
	yml := filepath.Join(dir, name+".yml")
	if st, err := os.Stat(yml); err != nil || st.IsDir() {
		return ""
	}
	return fmt.Sprintf("; found %s: calendars are read from .yaml files only, rename it to %s.yaml", yml, name)
}

// IsHoliday reports whether the date is a day off in calendar. An unknown
// calendar, or a year the calendar does not cover, has no holidays (the
// readiness check warns about the missing years).
func (c *Calendars) IsHoliday(calendar string, year int, month time.Month, day int) bool {
	cal, ok := (*c.cur.Load())[calendar]
	if !ok {
		return false
	}
	_, ok = cal.days[dateKey(year, month, day)]
	return ok
}

// Lookup returns the holidays of calendar on a date (two names can share a
// day: 2025-05-05 is 어린이날 and 부처님 오신 날), or nil.
func (c *Calendars) Lookup(calendar string, year int, month time.Month, day int) []Holiday {
	cal, ok := (*c.cur.Load())[calendar]
	if !ok {
		return nil
	}
	return slices.Clone(cal.days[dateKey(year, month, day)])
}

// Names returns the loaded calendar names, sorted.
func (c *Calendars) Names() []string {
	set := *c.cur.Load()
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Years returns the years calendar covers, ascending; nil for an unknown
// calendar.
func (c *Calendars) Years(calendar string) []int {
	cal, ok := (*c.cur.Load())[calendar]
	if !ok {
		return nil
	}
	return slices.Clone(cal.years)
}

// Missing returns, per calendar the config in force names (Require,
// Reload), which of the current and the next year (in Asia/Seoul at now) it
// does not cover. Calendars that cover both, and calendars no hours use (a
// file nobody names, the built-in kr of a config without holidays), are
// left out; nil when all do.
func (c *Calendars) Missing(now time.Time) map[string][]int {
	return c.missing(*c.cur.Load(), now)
}

// used returns the names of the calendars the config in force names.
func (c *Calendars) used() map[string]bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.required)
}

// missing is Missing over one loaded set (a reload may swap the set while
// a caller reads it twice).
func (c *Calendars) missing(set map[string]*calendar, now time.Time) map[string][]int {
	y := now.In(c.seoul).Year()
	used := c.used()
	var out map[string][]int
	for name, cal := range set {
		if !used[name] {
			continue
		}
		for _, want := range []int{y, y + 1} {
			if _, found := slices.BinarySearch(cal.years, want); !found {
				if out == nil {
					out = map[string][]int{}
				}
				out[name] = append(out[name], want)
			}
		}
	}
	return out
}

// Check is the readiness check: nil, or an error to report as a warning
// (not a failure) that names each calendar the config in force names that
// misses the current or next year at now, with its file. Baton keeps serving: a missing year only means its
// holidays are not known.
func (c *Calendars) Check(now time.Time) error {
	set := *c.cur.Load()
	missing := c.missing(set, now)
	if len(missing) == 0 {
		return nil
	}
	names := make([]string, 0, len(missing))
	for n := range missing {
		names = append(names, n)
	}
	slices.Sort(names)
	parts := make([]string, 0, len(names))
	for _, n := range names {
		ys := make([]string, len(missing[n]))
		for i, y := range missing[n] {
			ys[i] = fmt.Sprint(y)
		}
		parts = append(parts, fmt.Sprintf("%s (%s) has no %s", n, set[n].file, strings.Join(ys, ", ")))
	}
	return fmt.Errorf("holiday calendars missing years: %s", strings.Join(parts, "; "))
}

var yearsMissingDesc = prometheus.NewDesc("baton_holiday_calendar_years_missing",
	"How many of the current and next year (Asia/Seoul) a holiday calendar the config names does not cover (0, 1 or 2).",
	[]string{"calendar"}, nil)

// Collector returns the gauge baton_holiday_calendar_years_missing{calendar},
// computed at each scrape from the calendars loaded then and Now.
func (c *Calendars) Collector() prometheus.Collector { return calendarCollector{c} }

type calendarCollector struct{ c *Calendars }

func (cc calendarCollector) Describe(ch chan<- *prometheus.Desc) { ch <- yearsMissingDesc }

func (cc calendarCollector) Collect(ch chan<- prometheus.Metric) {
	now := time.Now
	if cc.c.Now != nil {
		now = cc.c.Now
	}
	set := *cc.c.cur.Load()
	missing := cc.c.missing(set, now())
	used := cc.c.used()
	for _, name := range slices.Sorted(maps.Keys(set)) {
		if used[name] { // a calendar no hours use alerts nobody
			ch <- prometheus.MustNewConstMetric(yearsMissingDesc, prometheus.GaugeValue, float64(len(missing[name])), name)
		}
	}
}

func dateKey(y int, m time.Month, d int) int { return y*10000 + int(m)*100 + d }

// readCalendars loads every *.yaml file of base, then of dir.
func readCalendars(dir string, base fs.FS) (map[string]*calendar, error) {
	set := map[string]*calendar{}
	if base != nil {
		names, err := fs.Glob(base, "*.yaml")
		if err != nil {
			return nil, fmt.Errorf("handoff: built-in holidays: %w", err)
		}
		for _, n := range names {
			raw, err := fs.ReadFile(base, n)
			if err != nil {
				return nil, fmt.Errorf("handoff: built-in holidays: %w", err)
			}
			cal, err := parseCalendar("built-in "+n, raw)
			if err != nil {
				return nil, fmt.Errorf("handoff: built-in holidays %s: %w", n, err)
			}
			set[strings.TrimSuffix(n, ".yaml")] = cal
		}
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return set, nil // no calendars; Require names the file it wanted
	}
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read the holiday calendar directory (--holidays): %w", dir, err)
	}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".yaml")
		if !ok || e.IsDir() {
			continue
		}
		file := filepath.Join(dir, e.Name())
		if !calendarNameRE.MatchString(name) {
			return nil, fmt.Errorf("%s: a holiday calendar's file name must be <name>.yaml with a name of a-z, 0-9, _ or - (it is the name handoff.hours lists): rename the file%s", file, renameHint(name))
		}
		raw, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("%s: cannot read the holiday calendar: %w", file, err)
		}
		cal, err := parseCalendar(file, raw)
		if err != nil {
			if msg := err.Error(); msg != "" && msg[0] >= '0' && msg[0] <= '9' {
				return nil, fmt.Errorf("%s:%w", file, err) // file:line:col: (calendarPos)
			}
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		set[name] = cal
	}
	return set, nil
}

// renameHint proposes a file name for a calendar name that is wrong only
// in its case or its blanks (" (e.g. to shop.yaml)"), else "".
func renameHint(name string) string {
	fixed := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(name)), " ", "-")
	if fixed == name || !calendarNameRE.MatchString(fixed) {
		return ""
	}
	return " (e.g. to " + fixed + ".yaml)"
}

// yamlErrPosRE matches the "[line:col] " that starts a go-yaml error.
var yamlErrPosRE = regexp.MustCompile(`^\[(\d+):(\d+)\] `)

// calendarPos is "line:col: " of field of the i-th holiday in the calendar
// file body, so an error names where to look (file:line:col once the caller
// puts the file before it); "" when it cannot be found.
func calendarPos(body ast.Node, i int, field string) string {
	return yamlPos(body, fmt.Sprintf("$.holidays[%d].%s", i, field))
}

// yamlPos is "line:col: " of the node at the YAML path in body, or "" when
// it cannot be found.
func yamlPos(body ast.Node, path string) string {
	if body == nil {
		return ""
	}
	p, err := yaml.PathString(path)
	if err != nil {
		return ""
	}
	n, err := p.FilterNode(body)
	if err != nil || n == nil {
		return ""
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return ""
	}
	return fmt.Sprintf("%d:%d: ", tk.Position.Line, tk.Position.Column)
}

// calendarHint ends an error about the shape of a calendar file.
const calendarHint = " (a calendar file has years: [2026, …] and holidays: entries of date, name and kind; see docs/hours.md)"

// calendarError is err of reading or decoding a calendar file as
// "line:col: message" (the caller puts the file first), then hint.
func calendarError(err error, hint string) error {
	var errs configs.Errors
	if errors.As(err, &errs) && len(errs) > 0 {
		msgs := make([]string, len(errs))
		for i, e := range errs {
			msgs[i] = fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg)
		}
		return errors.New(strings.Join(msgs, "; ") + hint)
	}
	msg := yaml.FormatError(err, false, false)
	if m := yamlErrPosRE.FindStringSubmatch(msg); m != nil {
		msg = m[1] + ":" + m[2] + ": " + msg[len(m[0]):] // line:col: first, as config errors
	}
	return errors.New(msg + hint)
}

// parseCalendar decodes one calendar file; file names it in Check. The file
// is read as the config is (configs.ReadYAML): past a BOM, UTF-8, one
// document, aliases within budget.
func parseCalendar(file string, raw []byte) (*calendar, error) {
	var f calendarFile
	body, err := configs.ReadYAML(file, raw)
	if err != nil {
		return nil, calendarError(err, "")
	}
	if body != nil {
		if err := configs.DecodeYAML(file, body, &f); err != nil {
			return nil, calendarError(err, calendarHint)
		}
	}
	cal := &calendar{file: file, days: map[int][]Holiday{}}
	years := map[int]bool{}
	for i, y := range f.Years {
		if y < 1900 || y > 2200 {
			return nil, fmt.Errorf("%syears[%d]: year %d is out of range: write a year from 1900 to 2200", yamlPos(body, fmt.Sprintf("$.years[%d]", i)), i, y)
		}
		years[y] = true
	}
	declared := len(years) > 0
	for i, h := range f.Holidays {
		if err := configs.CheckDate(h.Date); err != nil {
			return nil, fmt.Errorf("%sholidays[%d]: date %q %v", calendarPos(body, i, "date"), i, h.Date, err)
		}
		d, _ := time.Parse(time.DateOnly, h.Date) // checked just above
		if strings.TrimSpace(h.Name) == "" {
			return nil, fmt.Errorf("%sholidays[%d] (%s): name is empty", calendarPos(body, i, "name"), i, h.Date)
		}
		if h.Kind == "" {
			h.Kind = HolidayCompany
		}
		if !slices.Contains(holidayKinds, h.Kind) {
			return nil, fmt.Errorf("%sholidays[%d] (%s): kind %q must be one of %s", calendarPos(body, i, "kind"), i, h.Date, h.Kind, strings.Join(holidayKinds, ", "))
		}
		if declared && !years[d.Year()] {
			return nil, fmt.Errorf("%sholidays[%d]: %s is outside the years the file declares", calendarPos(body, i, "date"), i, h.Date)
		}
		years[d.Year()] = true
		k := dateKey(d.Year(), d.Month(), d.Day())
		cal.days[k] = append(cal.days[k], h)
	}
	for y := range years {
		cal.years = append(cal.years, y)
	}
	slices.Sort(cal.years)
	return cal, nil
}
