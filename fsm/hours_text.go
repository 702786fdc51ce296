package fsm

import (
	"slices"
	"strings"
	"time"

	"github.com/baton-chat/baton/configs"
)

// hoursFills returns the fill pairs of the hours placeholders
// (configs.HoursPlaceholder): "hours" for escalation.queue's hours and
// "hours.<queue>" for every queue's, rendered by koreanHours. New fills
// FAQ answers and menu texts with them once per config version, so static
// replies cached per version already carry the hours.
func hoursFills(cfg *configs.Config) []string {
	var pairs []string
	for name, q := range cfg.Handoff.Queues {
		text := alwaysOpenText
		if h, ok := cfg.Handoff.Hours[q.Hours]; ok && q.Hours != "" {
			text = koreanHours(h)
		}
		pairs = append(pairs, "hours."+name, text)
		if name == cfg.Escalation.Queue {
			pairs = append(pairs, "hours", text)
		}
	}
	return pairs
}

// alwaysOpenText is a queue without hours: it takes handoffs at any time.
const alwaysOpenText = "연중무휴 24시간"

// koreanWeekdayNames are the weekdays Monday first, as a Korean shop lists
// them.
var koreanWeekdayNames = [7]string{"월", "화", "수", "목", "금", "토", "일"}

// koreanHours renders h's weekly hours the way a Korean shop writes them:
// days with the same windows grouped ("평일", "주말", "월~목요일",
// "월·수·금요일", "토요일"), Monday first; a day of several windows as its
// first opening to its last closing with the gaps left out ("09:00~18:00
// (12:00~13:00 제외)"); then the closed days, with 공휴일 when h names a
// holiday calendar ("일요일·공휴일 휴무"); and the time zone when it is not
// Seoul's. Per-date exceptions are not listed. h has passed Load's checks
// (a day spec or window that does not parse is skipped).
func koreanHours(h configs.Hours) string {
	var perDay [7]string // Monday first
	for spec, windows := range h.Weekly {
		days, err := configs.ParseDays(spec)
		if err != nil {
			continue
		}
		text := windowsText(windows)
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
		groups = append(groups, daysText(same)+" "+text)
	}
	var off []string
	if len(closed) > 0 {
		off = append(off, daysText(closed))
	}
	if len(h.Holidays) > 0 && len(closed) < 7 {
		off = append(off, "공휴일")
	}
	if len(off) > 0 {
		groups = append(groups, strings.Join(off, "·")+" 휴무")
	}
	out := strings.Join(groups, ", ")
	if h.Timezone != "" && h.Timezone != configs.DefaultTimezone {
		out += " (" + h.Timezone + " 기준)"
	}
	return out
}

// windowsText renders a day's windows (in order, not overlapping) as
// "09:00~18:00", or "09:00~18:00(12:00~13:00 제외)" for a split shift; ""
// when none parses.
func windowsText(windows []string) string {
	var ws []configs.Window
	for _, s := range windows {
		if w, err := configs.ParseWindow(s); err == nil {
			ws = append(ws, w)
		}
	}
	if len(ws) == 0 {
		return ""
	}
	slices.SortFunc(ws, func(a, b configs.Window) int { return int(a.Start - b.Start) })
	var gaps []string
	for i := 1; i < len(ws); i++ {
		if ws[i].Start > ws[i-1].End {
			gaps = append(gaps, clockText(ws[i-1].End)+"~"+clockText(ws[i].Start))
		}
	}
	out := clockText(ws[0].Start) + "~" + clockText(ws[len(ws)-1].End)
	if len(gaps) > 0 {
		out += "(" + strings.Join(gaps, ", ") + " 제외)"
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
// with 요일 after the names ("월~목·토요일", "화·목요일·주말").
func daysText(days []int) string {
	if len(days) == 7 {
		return "매일"
	}
	var b strings.Builder
	named := false // the last part written is a day's name, awaiting 요일
	part := func(s string, isName bool) {
		if b.Len() > 0 {
			if named && !isName {
				b.WriteString("요일")
			}
			b.WriteString("·")
		}
		b.WriteString(s)
		named = isName
	}
	for i := 0; i < len(days); {
		j := i + 1
		for j < len(days) && days[j] == days[j-1]+1 {
			j++
		}
		run := days[i:j]
		switch {
		case slices.Equal(run, []int{0, 1, 2, 3, 4}):
			part("평일", false)
		case slices.Equal(run, []int{5, 6}):
			part("주말", false)
		case len(run) >= 3:
			part(koreanWeekdayNames[run[0]]+"~"+koreanWeekdayNames[run[len(run)-1]], true)
		default:
			for _, d := range run {
				part(koreanWeekdayNames[d], true)
			}
		}
		i = j
	}
	if named {
		b.WriteString("요일")
	}
	return b.String()
}

// filledMenus returns menus with the hours placeholders of every menu's
// text and text option's text filled from pairs (hoursFills); menus that
// hold none are shared, not copied.
func filledMenus(menus map[string]*configs.Menu, pairs []string) map[string]*configs.Menu {
	out := make(map[string]*configs.Menu, len(menus))
	for id, m := range menus {
		if m == nil || !menuHasBraces(m) {
			out[id] = m
			continue
		}
		cp := *m
		cp.Text = fill(m.Text, pairs...)
		cp.Options = slices.Clone(m.Options)
		for i := range cp.Options {
			cp.Options[i].Text = fill(cp.Options[i].Text, pairs...)
		}
		out[id] = &cp
	}
	return out
}

func menuHasBraces(m *configs.Menu) bool {
	if strings.Contains(m.Text, "{") {
		return true
	}
	for _, o := range m.Options {
		if strings.Contains(o.Text, "{") {
			return true
		}
	}
	return false
}
