package configs

import (
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Window is one opening window of a day, as offsets from local midnight.
// End may be 24h (open until midnight).
type Window struct {
	Start time.Duration
	End   time.Duration
}

var (
	windowRE = regexp.MustCompile(`^(\d{2}):(\d{2})-(\d{2}):(\d{2})$`)
	// looseWindowRE is a window as people also write it: one-digit hours,
	// "~" or a dash other than "-", blanks around it.
	looseWindowRE = regexp.MustCompile(`^(\d{1,2}):(\d{2})\s*[-~–—〜]\s*(\d{1,2}):(\d{2})$`)
	dayNames      = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
)

// ParseWindow parses "HH:MM-HH:MM" (start before end; the end may be
// 24:00). It returns an error quoting s otherwise. Load has already checked
// every window of a loaded Config.
func ParseWindow(s string) (Window, error) {
	m := windowRE.FindStringSubmatch(strings.TrimSpace(s))
	bad := fmt.Errorf("window %q must be HH:MM-HH:MM with the start before the end, e.g. 09:00-18:00", s)
	if m == nil {
		if l := looseWindowRE.FindStringSubmatch(strings.TrimSpace(s)); l != nil {
			h1, _ := strconv.Atoi(l[1])
			h2, _ := strconv.Atoi(l[3])
			fix := fmt.Sprintf("%02d:%s-%02d:%s", h1, l[2], h2, l[4])
			if _, err := ParseWindow(fix); err == nil {
				return Window{}, fmt.Errorf("window %q must be HH:MM-HH:MM, two digits each and a - between: write %q", s, fix)
			}
		}
		return Window{}, bad
	}
	var n [4]int
	for i := range n {
		n[i], _ = strconv.Atoi(m[i+1])
	}
	start, end := n[0]*60+n[1], n[2]*60+n[3]
	if n[0] > 23 || n[1] > 59 || n[3] > 59 || end > 24*60 {
		return Window{}, bad
	}
	if start > end && end == 0 {
		return Window{}, fmt.Errorf("window %q ends before it starts: midnight as an end is written 24:00, %q", s, m[1]+":"+m[2]+"-24:00")
	}
	if start > end {
		return Window{}, fmt.Errorf("window %q ends before it starts: a shift past midnight is two windows, %q on that day and %q on the next", s, m[1]+":"+m[2]+"-24:00", "00:00-"+m[3]+":"+m[4])
	}
	if start == end {
		return Window{}, fmt.Errorf("window %q is empty: the end must come after the start (open all day: 00:00-24:00)", s)
	}
	return Window{Start: time.Duration(start) * time.Minute, End: time.Duration(end) * time.Minute}, nil
}

// ParseDays expands a weekly day spec — "mon-fri", "sat" or "sat,sun" —
// into weekdays in the order written. It returns an error quoting spec for
// an unknown day or a range that runs backwards (fri-mon).
func ParseDays(spec string) ([]time.Weekday, error) {
	var days []time.Weekday
	for part := range strings.SplitSeq(spec, ",") {
		part = strings.ToLower(strings.TrimSpace(part))
		from, to, isRange := strings.Cut(part, "-")
		if !isRange {
			to = from
		}
		i, j := slices.Index(dayNames, from), slices.Index(dayNames, to)
		if i < 0 || j < 0 {
			return nil, fmt.Errorf("day %q must be mon, tue, wed, thu, fri, sat, sun or a range like mon-fri", spec)
		}
		if i > j {
			return nil, fmt.Errorf("day range %q runs backwards; write it from mon towards sun", spec)
		}
		for k := i; k <= j; k++ {
			days = append(days, time.Weekday((k+1)%7)) // mon=1 … sun=0
		}
	}
	return days, nil
}

//go:embed holidays/*.yaml
var holidayFiles embed.FS

// HolidayCalendars returns the holiday calendars shipped in the binary
// (configs/holidays/*.yaml at build time, e.g. kr.yaml), so a deployment
// without the holidays directory still knows the Korean public holidays; a
// file of the same name in the holidays directory replaces one.
func HolidayCalendars() fs.FS {
	sub, err := fs.Sub(holidayFiles, "holidays")
	if err != nil {
		panic(err) // the embed pattern above guarantees the directory
	}
	return sub
}
