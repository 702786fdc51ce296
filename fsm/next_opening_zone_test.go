package fsm

import (
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
)

// TestNextOpeningOtherZoneNamesTheZone: a queue whose hours are in
// America/Los_Angeles (allowed: "any IANA name") gets its next opening from
// Hours.Open on the queue's wall clock. Read to a KakaoTalk user in Korea
// with no zone, "내일 오전 9시" would be taken as Korean time while the
// opening is Wednesday 02:00 in Seoul. {next} names the zone as {hours}
// does (texts.hours_zone, "(America/Los_Angeles 기준)"), and its 오늘/내일
// are that zone's days, as the hours are written.
func TestNextOpeningOtherZoneNamesTheZone(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	seoul, err := time.LoadLocation("Asia/Seoul")
	if err != nil {
		t.Fatal(err)
	}
	// Tuesday 2026-11-24 10:00 in Seoul = Monday 17:00 PST.
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, seoul)
	// The LA office opens Tuesday 09:00 PST = Wednesday 02:00 KST.
	next := time.Date(2026, 11, 24, 9, 0, 0, 0, la)
	cfg := testConfig()
	cfg.Handoff.Hours = map[string]configs.Hours{"office": {Timezone: "America/Los_Angeles", Weekly: map[string][]string{"mon-fri": {"09:00-18:00"}}}}
	e := newEngine(t, cfg, Options{Hours: hoursStub{closed: map[string]bool{"general": true}, next: next}})
	in := text("상담원")
	in.Now = now
	c := welcomedBot()
	c.LastTurnAt = now.Add(-time.Minute)
	got := allText(e.Step(c, in).Reply)
	if !strings.Contains(got, "다음 상담 시간") {
		t.Fatalf("got %q, want the after-hours reply", got)
	}
	seoulTime := "내일 오전 2시" // Wednesday 02:00 in Seoul, from Tuesday 10:00 in Seoul
	if !strings.Contains(got, seoulTime) && !strings.Contains(got, "America/Los_Angeles") {
		t.Errorf("after-hours reply %q: the opening is %s in Seoul (%s in LA); want %q or the zone named, not LA's wall clock read as Korean time",
			got, next.In(seoul).Format("Mon 15:04"), next.Format("Mon 15:04"), seoulTime)
	}
	// The choice made: LA's clock and calendar (Monday 17:00 there), with
	// the zone, as {hours} gives it.
	if want := "다음 상담 시간은 내일 오전 9시 (America/Los_Angeles 기준)부터예요."; !strings.Contains(got, want) {
		t.Errorf("after-hours reply %q, want %q", got, want)
	}
}

// TestNextTextZone: {next} names the zone of the queue's own hours, and
// only when it is not Asia/Seoul; 오늘/내일 are that zone's calendar days.
func TestNextTextZone(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	seoul, err := time.LoadLocation("Asia/Seoul")
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig()
	cfg.Handoff.Hours = map[string]configs.Hours{
		"office": {Timezone: "Asia/Seoul", Weekly: map[string][]string{"mon-fri": {"09:00-18:00"}}},
		"us":     {Timezone: "America/Los_Angeles", Weekly: map[string][]string{"mon-fri": {"09:00-18:00"}}},
	}
	cfg.Handoff.Queues["vip"] = configs.Queue{Target: "dealer:happytalk", Hours: "us"}
	cfg.Texts.HoursZone = " (현지 시각, {zone})"
	e := newEngine(t, cfg, Options{})
	for _, tc := range []struct {
		name, queue string
		now, next   time.Time
		want        string
	}{
		// Tuesday 01:00 in Seoul is still Monday 08:00 in LA.
		{"LA: today there", "vip", time.Date(2026, 11, 24, 1, 0, 0, 0, seoul), time.Date(2026, 11, 23, 9, 0, 0, 0, la),
			"오늘 오전 9시 (현지 시각, America/Los_Angeles)"},
		{"LA: date form", "vip", time.Date(2026, 11, 27, 12, 0, 0, 0, seoul), time.Date(2026, 11, 30, 9, 0, 0, 0, la),
			"11월 30일(월) 오전 9시 (현지 시각, America/Los_Angeles)"},
		{"Seoul: no zone", "general", time.Date(2026, 11, 24, 1, 0, 0, 0, seoul), time.Date(2026, 11, 24, 9, 0, 0, 0, seoul),
			"오늘 오전 9시"},
		{"a queue the config does not have: no zone", "gone", time.Date(2026, 11, 24, 1, 0, 0, 0, seoul), time.Date(2026, 11, 24, 9, 0, 0, 0, seoul),
			"오늘 오전 9시"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := e.nextText(tc.queue, tc.now, tc.next); got != tc.want {
				t.Errorf("nextText(%s, %v, %v) = %q, want %q", tc.queue, tc.now, tc.next, got, tc.want)
			}
		})
	}
}
