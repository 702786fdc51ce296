package configs

import (
	"maps"
	"slices"
	"strings"
	"time"
)

// HoursText renders h's weekly hours the way a Korean shop writes them,
// with the words of tx's hours_* texts (defaults: DefaultTexts): days with
// the same windows grouped ("평일", "주말", "월~목요일", "월·수·금요일",
// "토요일"), Monday first; a day of several windows as its first opening to
// its last closing with the gaps left out ("09:00~18:00(12:00~13:00 제외)");
// then the closed days, with 공휴일 when h names a holiday calendar
// ("일요일·공휴일 휴무"); and the time zone when it is not Seoul's.
// Per-date exceptions are not listed. h has passed Load's checks (a day
// spec or window that does not parse is skipped).
func HoursText(h Hours, tx Texts) string {
	w := hoursWords(tx)
	var perDay [7]string // Monday first
	for spec, windows := range h.Weekly {
		days, err := ParseDays(spec)
		if err != nil {
			continue
		}
		text := w.windowsText(windows)
		for _, d := range days {
			perDay[(int(d)+6)%7] = text
		}
	}
	var groups []string
	var closed []int
	done := [7]bool{}
	for i, text := range perDay {
		if text == "" {
			closed = append(closed, i)
			continue
		}
		if done[i] {
			continue
		}
		var same []int
		for j := i; j < 7; j++ {
			if perDay[j] == text {
				same, done[j] = append(same, j), true
			}
		}
		groups = append(groups, w.daysText(same)+" "+text)
	}
	var off []string
	if len(closed) > 0 {
		off = append(off, w.daysText(closed))
	}
	if len(h.Holidays) > 0 && len(closed) < 7 {
		off = append(off, w.holidays)
	}
	if len(off) > 0 {
		groups = append(groups, strings.ReplaceAll(w.closed, "{days}", strings.Join(off, w.daySep)))
	}
	out := strings.Join(groups, w.listSep)
	if h.Timezone != "" && h.Timezone != DefaultTimezone {
		out += strings.ReplaceAll(w.zone, "{zone}", h.Timezone)
	}
	return out
}

// QueueHoursText is the HoursText of queue's hours, or tx.HoursAlwaysOpen
// for a queue without hours (it takes handoffs at any time).
func (c *Config) QueueHoursText(queue string, tx Texts) string {
	q := c.Handoff.Queues[queue]
	if h, ok := c.Handoff.Hours[q.Hours]; ok && q.Hours != "" {
		return HoursText(h, tx)
	}
	return tx.HoursAlwaysOpen
}

// HoursFills returns the fill pairs (name, text, name, text, …) of the
// hours placeholders: "hours.<queue>" for every queue, and "hours" for
// escalation.queue's when it names one, rendered with tx's words.
func (c *Config) HoursFills(tx Texts) []string {
	var pairs []string
	for _, name := range slices.Sorted(maps.Keys(c.Handoff.Queues)) {
		text := c.QueueHoursText(name, tx)
		pairs = append(pairs, "hours."+name, text)
		if name == c.Escalation.Queue {
			pairs = append(pairs, "hours", text)
		}
	}
	return pairs
}

// hoursWordSet are the hours_* texts HoursText writes with.
type hoursWordSet struct {
	dayNames                               [7]string
	namedDays, weekdays, weekend, everyDay string
	holidays, closed, to, gaps, zone       string
	daySep, listSep                        string
}

// hoursWords reads tx's hours_* texts; a day_names text without seven
// names (refused by Load) falls back to the default names.
func hoursWords(tx Texts) hoursWordSet {
	w := hoursWordSet{namedDays: tx.HoursNamedDays, weekdays: tx.HoursWeekdays, weekend: tx.HoursWeekend,
		everyDay: tx.HoursEveryDay, holidays: tx.HoursHolidays, closed: tx.HoursClosed, to: tx.HoursTo,
		gaps: tx.HoursGaps, zone: tx.HoursZone, daySep: tx.HoursDaySep, listSep: tx.HoursListSep}
	names := strings.Fields(tx.HoursDayNames)
	if len(names) != 7 {
		names = strings.Fields(DefaultTexts().HoursDayNames)
	}
	copy(w.dayNames[:], names)
	return w
}

// windowsText renders a day's windows (in order, not overlapping) as
// "09:00~18:00", or "09:00~18:00(12:00~13:00 제외)" for a split shift; ""
// when none parses.
func (w hoursWordSet) windowsText(windows []string) string {
	var ws []Window
	for _, s := range windows {
		if win, err := ParseWindow(s); err == nil {
			ws = append(ws, win)
		}
	}
	if len(ws) == 0 {
		return ""
	}
	slices.SortFunc(ws, func(a, b Window) int { return int(a.Start - b.Start) })
	var gaps []string
	for i := 1; i < len(ws); i++ {
		if ws[i].Start > ws[i-1].End {
			gaps = append(gaps, clockText(ws[i-1].End)+w.to+clockText(ws[i].Start))
		}
	}
	out := clockText(ws[0].Start) + w.to + clockText(ws[len(ws)-1].End)
	if len(gaps) > 0 {
		out += strings.ReplaceAll(w.gaps, "{gaps}", strings.Join(gaps, w.listSep))
	}
	return out
}

// clockText renders an offset from midnight as "09:00" (24:00 for midnight
// at the end of the day).
func clockText(d time.Duration) string {
	m := int(d / time.Minute)
	return twoDigits(m/60) + ":" + twoDigits(m%60)
}

func twoDigits(n int) string {
	return string([]byte{byte('0' + n/10), byte('0' + n%10)})
}

// daysText names a set of weekdays (indices Monday first, ascending):
// 매일, or its runs of consecutive days joined with "·" — 평일 (Monday to
// Friday), 주말, a run of three or more as "월~목", other days by name —
// each stretch of names written with hours_named_days ("월~목·토요일",
// "화·목요일·주말").
func (w hoursWordSet) daysText(days []int) string {
	if len(days) == 7 {
		return w.everyDay
	}
	var parts, names []string
	flush := func() {
		if len(names) > 0 {
			parts = append(parts, strings.ReplaceAll(w.namedDays, "{days}", strings.Join(names, w.daySep)))
			names = nil
		}
	}
	for i := 0; i < len(days); {
		j := i + 1
		for j < len(days) && days[j] == days[j-1]+1 {
			j++
		}
		run := days[i:j]
		switch {
		case slices.Equal(run, []int{0, 1, 2, 3, 4}):
			flush()
			parts = append(parts, w.weekdays)
		case slices.Equal(run, []int{5, 6}):
			flush()
			parts = append(parts, w.weekend)
		case len(run) >= 3:
			names = append(names, w.dayNames[run[0]]+w.to+w.dayNames[run[len(run)-1]])
		default:
			for _, d := range run {
				names = append(names, w.dayNames[d])
			}
		}
		i = j
	}
	flush()
	return strings.Join(parts, w.daySep)
}

// validateHoursTexts checks the words of the hours placeholders that
// validateTextPlaceholders does not: texts.hours_day_names must name the
// seven days.
func (t *tree) validateHoursTexts(c *Config) {
	if n := len(strings.Fields(c.Texts.HoursDayNames)); n != 7 {
		t.errAt(path{"texts", "hours_day_names"}, "texts.hours_day_names has %d names: write the seven day names, Monday first, separated by spaces (%q)",
			n, DefaultTexts().HoursDayNames)
	}
}
