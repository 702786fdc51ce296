package fsm

import (
	"strings"
	"testing"
	"time"
)

// TestMidnightOpeningWording: a night-shift queue ("22:00-24:00" and
// "00:00-02:00", as ParseWindow tells the bot master to write a shift past
// midnight) closed on a holiday opens again at 00:00. At 23:00 the user
// was told "다음 상담 시간은 내일 오전 12시부터예요": "오전 12시" is read by
// many as noon, and "내일" for an opening one hour away points at the
// wrong night ("내일 밤 12시" is the end of tomorrow). Korean notices write
// midnight as 자정 / 밤 12시 / 0시: the midnight that ends today is
// "오늘 밤 12시", a midnight with a date "오전 0시" (the start of that day).
func TestMidnightOpeningWording(t *testing.T) {
	seoul, err := time.LoadLocation("Asia/Seoul")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 2, 18, 23, 0, 0, 0, seoul) // 설날 다음 날, 23:00
	next := time.Date(2026, 2, 19, 0, 0, 0, 0, seoul) // one hour later
	got := nextOpening(now, next)
	if strings.Contains(got, "오전 12시") {
		t.Errorf("nextOpening(%v, %v) = %q: midnight one hour away written as 오전 12시; want 자정 (e.g. \"오늘 밤 12시\" / \"자정\")", now, next, got)
	}
	at := func(mo time.Month, d, h, mi int) time.Time { return time.Date(2026, mo, d, h, mi, 0, 0, seoul) }
	for _, tc := range []struct {
		name      string
		now, next time.Time
		want      string
	}{
		{"midnight an hour away", now, next, "오늘 밤 12시"},
		{"midnight that ends today, from the morning", at(2, 18, 9, 0), next, "오늘 밤 12시"},
		{"a quarter past midnight", now, at(2, 19, 0, 15), "내일 오전 0시 15분"},
		{"midnight with a date", at(2, 16, 23, 0), next, "2월 19일(목) 오전 0시"},
		{"noon stays 오후 12시", at(2, 18, 23, 0), at(2, 19, 12, 0), "내일 오후 12시"},
		{"one in the morning", at(2, 18, 23, 0), at(2, 19, 1, 0), "내일 오전 1시"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := nextOpening(tc.now, tc.next); got != tc.want {
				t.Errorf("nextOpening(%v, %v) = %q, want %q", tc.now, tc.next, got, tc.want)
			}
		})
	}
}
