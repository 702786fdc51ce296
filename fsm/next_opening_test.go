package fsm

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// TestNextOpening: the server is in UTC (now is a UTC instant), the office
// in Asia/Seoul (next is where Hours.Open puts it); 오늘/내일 follow Seoul's
// calendar.
func TestNextOpening(t *testing.T) {
	kst, err := time.LoadLocation("Asia/Seoul")
	if err != nil {
		t.Fatal(err)
	}
	utc := func(mo time.Month, d, h, mi int) time.Time { return time.Date(2026, mo, d, h, mi, 0, 0, time.UTC) }
	seoulAt := func(mo time.Month, d, h, mi int) time.Time { return time.Date(2026, mo, d, h, mi, 0, 0, kst) }
	for _, tc := range []struct {
		name      string
		now, next time.Time
		want      string
	}{
		{"lunch break of a split shift", utc(11, 23, 3, 30), seoulAt(11, 23, 13, 0), "오늘 오후 1시"},
		{"before opening, just after midnight in Seoul (still yesterday in UTC)",
			utc(11, 23, 15, 30), seoulAt(11, 24, 9, 0), "오늘 오전 9시"},
		{"just before midnight in Seoul", utc(11, 23, 14, 59), seoulAt(11, 24, 9, 0), "내일 오전 9시"},
		{"evening", utc(11, 23, 10, 0), seoulAt(11, 24, 9, 0), "내일 오전 9시"},
		{"tomorrow across a month end", utc(11, 30, 11, 0), seoulAt(12, 1, 9, 30), "내일 오전 9시 30분"},
		{"friday evening: monday", utc(11, 27, 10, 0), seoulAt(11, 30, 9, 0), "11월 30일(월) 오전 9시"},
		{"saturday after closing: monday", utc(11, 28, 5, 0), seoulAt(11, 30, 9, 0), "11월 30일(월) 오전 9시"},
		{"sunday night: monday is tomorrow", utc(11, 29, 13, 0), seoulAt(11, 30, 9, 0), "내일 오전 9시"},
		{"day before 추석 (Thu–Sat): the monday after", utc(9, 23, 10, 0), seoulAt(9, 28, 9, 0), "9월 28일(월) 오전 9시"},
		{"just after midnight on a saturday: monday is no 내일", utc(12, 25, 15, 10), seoulAt(12, 28, 9, 0), "12월 28일(월) 오전 9시"},
		{"year end: tomorrow is next year", utc(12, 31, 14, 0), seoulAt(12, 31, 15, 0).AddDate(0, 0, 1), "내일 오후 3시"},
		// Across new year but days away: the date alone reads right.
		{"after the year-end holidays", utc(12, 30, 10, 0), seoulAt(12, 30, 9, 0).AddDate(0, 0, 3), "1월 2일(토) 오전 9시"},
		// Months away, the date alone would read as this year's: with the year.
		{"a season away", utc(11, 23, 10, 0), seoulAt(11, 23, 9, 0).AddDate(0, 9, 0), "2027년 8월 23일(월) 오전 9시"},
		{"a year away, the same date", utc(11, 23, 10, 0), seoulAt(11, 24, 9, 0).AddDate(1, 0, 0), "2027년 11월 24일(수) 오전 9시"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := nextOpening(tc.now, tc.next); got != tc.want {
				t.Errorf("nextOpening(%v, %v): got %q, want %q", tc.now, tc.next, got, tc.want)
			}
		})
	}
}

// TestAfterHoursSaysToday: the after_hours reply fills {next} relative to
// the turn's own clock.
func TestAfterHoursSaysToday(t *testing.T) {
	kst, err := time.LoadLocation("Asia/Seoul")
	if err != nil {
		t.Fatal(err)
	}
	next := time.Date(2026, 11, 24, 9, 0, 0, 0, kst)
	e := newEngine(t, testConfig(), Options{Hours: hoursStub{closed: map[string]bool{"general": true}, next: next}})
	in := text("상담원")
	in.Now = time.Date(2026, 11, 23, 15, 30, 0, 0, time.UTC) // 00:30 on the 24th in Seoul
	c := welcomedBot()
	c.LastTurnAt = in.Now.Add(-time.Minute)
	o := e.Step(c, in)
	if got, want := allText(o.Reply), "다음 상담 시간은 오늘 오전 9시부터예요."; !strings.Contains(got, want) {
		t.Errorf("got %q, want it to contain %q", got, want)
	}
}

// TestAfterHoursOffersNoAgentAgain: the after-hours reply, itself the
// answer to a request for a human, fills its quick replies with the main
// menu's entries but not the menu's "상담원 연결" (tapping it only repeated
// the same reply); the menu shown outside hours still lists it, and
// tapping it there still answers with the after-hours reply.
func TestAfterHoursOffersNoAgentAgain(t *testing.T) {
	next := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	e := newEngine(t, testConfig(), Options{Hours: hoursStub{closed: map[string]bool{"general": true}, next: next}})
	in := text("상담원")
	in.Now = time.Date(2026, 11, 23, 15, 30, 0, 0, time.UTC)
	o := e.Step(welcomedBot(), in)
	labels := qrLabels(o.Reply)
	if !strings.Contains(allText(o.Reply), "다음 상담 시간") {
		t.Fatalf("got %q, want the after-hours reply", allText(o.Reply))
	}
	if slices.Contains(labels, "상담원 연결") {
		t.Errorf("after-hours quick replies %q offer 상담원 연결 again", labels)
	}
	if !slices.Contains(labels, e.texts.LeaveMessage) || !slices.Contains(labels, "주문/배송") {
		t.Errorf("after-hours quick replies %q, want %q and the main menu's other entries", labels, e.texts.LeaveMessage)
	}

	// The home menu outside hours still offers it, and it still leads to
	// the after-hours reply.
	tap := func(r Reply, label string) Input {
		q := findQR(t, r, label)
		in := tapIn(label, *q.Tap)
		in.Now = next.Add(-time.Hour)
		return in
	}
	h := e.Step(o.Conversation, tap(o.Reply, e.texts.Home))
	if !slices.Contains(qrLabels(h.Reply), "상담원 연결") {
		t.Fatalf("home menu after hours: quick replies %q, want 상담원 연결 listed", qrLabels(h.Reply))
	}
	a := e.Step(h.Conversation, tap(h.Reply, "상담원 연결"))
	if !strings.Contains(allText(a.Reply), "다음 상담 시간") || slices.Contains(qrLabels(a.Reply), "상담원 연결") {
		t.Errorf("tapping 상담원 연결 after hours: got %q with %q, want the after-hours reply without it", allText(a.Reply), qrLabels(a.Reply))
	}
}
