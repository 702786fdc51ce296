package configs

import (
	"slices"
	"strings"
	"testing"
)

// TestKoreanHours renders weekly hours as a Korean shop writes them: days of
// the same windows grouped, a split shift as its span with the gap left
// out, closed days and 공휴일 last, a zone other than Seoul's named.
func TestKoreanHours(t *testing.T) {
	for _, tc := range []struct {
		name string
		h    Hours
		want string
	}{
		{"example", Hours{Timezone: "Asia/Seoul", Weekly: map[string][]string{"mon-fri": {"09:00-12:00", "13:00-18:00"}}, Holidays: []string{"kr"}},
			"평일 09:00~18:00(12:00~13:00 제외), 주말·공휴일 휴무"},
		{"saturday", Hours{Weekly: map[string][]string{"mon-fri": {"09:00-18:00"}, "sat": {"10:00-13:00"}}, Holidays: []string{"kr", "acme"}},
			"평일 09:00~18:00, 토요일 10:00~13:00, 일요일·공휴일 휴무"},
		{"no holidays", Hours{Weekly: map[string][]string{"mon-fri": {"09:00-18:00"}, "sat,sun": {"10:00-13:00"}}},
			"평일 09:00~18:00, 주말 10:00~13:00"},
		{"runs and sets", Hours{Weekly: map[string][]string{"mon-thu": {"09:00-18:00"}, "fri": {"09:00-17:00"}, "sat": {"09:00-18:00"}}},
			"월~목·토요일 09:00~18:00, 금요일 09:00~17:00, 일요일 휴무"},
		{"every day", Hours{Weekly: map[string][]string{"mon-sun": {"00:00-24:00"}}, Holidays: []string{"kr"}},
			"매일 00:00~24:00, 공휴일 휴무"},
		{"scattered", Hours{Weekly: map[string][]string{"mon,wed,fri": {"10:00-12:00", "13:00-15:00", "16:00-19:30"}}},
			"월·수·금요일 10:00~19:30(12:00~13:00, 15:00~16:00 제외), 화·목요일·주말 휴무"},
		{"adjacent windows", Hours{Weekly: map[string][]string{"tue-sat": {"09:00-12:00", "12:00-18:00"}}},
			"화~토요일 09:00~18:00, 월·일요일 휴무"},
		{"zone", Hours{Timezone: "Asia/Tokyo", Weekly: map[string][]string{"mon-fri": {"09:00-18:00"}}},
			"평일 09:00~18:00, 주말 휴무 (Asia/Tokyo 기준)"},
		{"never", Hours{Weekly: map[string][]string{}, Holidays: []string{"kr"}}, "매일 휴무"},
		{"weekdays and sunday", Hours{Weekly: map[string][]string{"mon-fri": {"09:00-18:00"}, "sun": {"09:00-18:00"}}},
			"평일·일요일 09:00~18:00, 토요일 휴무"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := HoursText(tc.h, DefaultTexts()); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestHoursWordsFromTexts: a bot master writes the hours in words of their
// own with the texts.hours_* texts; the defaults give the words above.
func TestHoursWordsFromTexts(t *testing.T) {
	tx := DefaultTexts()
	tx.HoursWeekdays, tx.HoursWeekend, tx.HoursTo, tx.HoursGaps = "월~금", "토·일", "-", " (점심 {gaps})"
	h := Hours{Weekly: map[string][]string{"mon-fri": {"09:00-12:00", "13:00-18:00"}}, Holidays: []string{"kr"}}
	if got, want := HoursText(h, tx), "월~금 09:00-18:00 (점심 12:00-13:00), 토·일·공휴일 휴무"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	tx = DefaultTexts()
	tx.HoursDayNames, tx.HoursNamedDays, tx.HoursDaySep, tx.HoursListSep = "Mon Tue Wed Thu Fri Sat Sun", "{days}", "/", "; "
	tx.HoursClosed, tx.HoursZone, tx.HoursEveryDay, tx.HoursAlwaysOpen = "closed {days}", " [{zone}]", "daily", "24/7"
	h = Hours{Timezone: "Asia/Tokyo", Weekly: map[string][]string{"mon,wed,fri": {"10:00-12:00", "13:00-15:00"}, "sat": {"10:00-12:00", "13:00-15:00"}}}
	if got, want := HoursText(h, tx), "Mon/Wed/Fri/Sat 10:00~15:00(12:00~13:00 제외); closed Tue/Thu/Sun [Asia/Tokyo]"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := HoursText(Hours{Weekly: map[string][]string{"mon-sun": {"10:00-20:00"}}}, tx), "daily 10:00~20:00"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	cfg := &Config{Handoff: Handoff{Queues: map[string]Queue{"general": {Target: "notify"}}}}
	if got := cfg.QueueHoursText("general", tx); got != "24/7" {
		t.Errorf("a queue without hours: got %q, want %q", got, "24/7")
	}
}

// TestHoursWordsChecked: an hours_* text that would garble {hours} — not
// seven day names, a template without its placeholder or with another — is
// refused at its file:line:col.
func TestHoursWordsChecked(t *testing.T) {
	for _, tc := range []struct{ line, want string }{
		{`hours_day_names: "월 화 수 목 금 토"`, "texts.hours_day_names has 6 names"},
		{`hours_gaps: "(점심시간 제외)"`, "texts.hours_gaps has no {gaps}"},
		{`hours_closed: "{day} 휴무"`, "texts.hours_closed has the unknown placeholder {day}"},
		{`hours_named_days: "{days}요일 {zone}"`, "texts.hours_named_days has the unknown placeholder {zone}"},
	} {
		t.Run(tc.line, func(t *testing.T) {
			src := withTexts(t, tc.line)
			errs := parseErrors(t, "texts.yaml", src)
			lines := strings.Split(src, "\n")
			line := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, tc.line) }) + 1
			col := strings.Index(lines[line-1], `"`) + 1
			if len(errs) == 0 || errs[0].Line != line || errs[0].Col != col || !strings.Contains(errs[0].Msg, tc.want) {
				t.Errorf("got %v, want an error at texts.yaml:%d:%d with %q", errs, line, col, tc.want)
			}
		})
	}
	if _, err := Parse("texts.yaml", []byte(withTexts(t, `hours_weekdays: "월~금"`, `hours_to: "-"`, `hours_gaps: " (점심 {gaps})"`,
		`hours_day_names: "Mon Tue Wed Thu Fri Sat Sun"`, `hours_zone: " [{zone}]"`))); err != nil {
		t.Errorf("good hours words: got %v, want no error", err)
	}
}
