package fsm

import (
	"strings"
	"testing"
	"time"
)

// TestStatusETALong: the ETA of a long queue is told the way a person
// would: minutes under an hour, then hours to the nearest half hour ("약
// 1시간 30분", "약 2시간"), and past etaCap (3 h) no figure at all but
// texts.eta_long ("3시간 이상"): an estimate that far out is the median
// wait multiplied by the places ahead, not something to promise by the
// minute.
//
// It used to read "약 600분" at place 40 of a queue whose one agent takes
// 15 minutes a user.
func TestStatusETALong(t *testing.T) {
	c := welcomedBot()
	c.State, c.Queue, c.HandoffID, c.StateSince = StateWaiting, "vip", "h1", t0.Add(-time.Minute)
	status := func(e *Engine, eta time.Duration) string {
		t.Helper()
		in := text("언제 연결돼요?")
		in.PositionKnown, in.QueueWaiting, in.HandoffCode = true, 39, "A7K2"
		in.ETA, in.ETAKnown = eta, true
		return allText(e.Step(c, in).Reply)
	}
	e := newEngine(t, testConfig(), Options{})
	for _, tt := range []struct {
		eta  time.Duration
		want string
	}{
		{59 * time.Minute, "예상 대기 약 59분."},
		{59*time.Minute + time.Second, "예상 대기 약 1시간."}, // 60 minutes, rounded up
		{60 * time.Minute, "예상 대기 약 1시간."},
		{74 * time.Minute, "예상 대기 약 1시간."},
		{75 * time.Minute, "예상 대기 약 1시간 30분."},
		{104 * time.Minute, "예상 대기 약 1시간 30분."},
		{105 * time.Minute, "예상 대기 약 2시간."},
		{150 * time.Minute, "예상 대기 약 2시간 30분."},
		{180 * time.Minute, "예상 대기 약 3시간."},
		{180*time.Minute + time.Second, "예상 대기 3시간 이상."},
		{600 * time.Minute, "예상 대기 3시간 이상."},
		{1000 * time.Hour, "예상 대기 3시간 이상."},
	} {
		got := status(e, tt.eta)
		if !strings.Contains(got, tt.want) || !strings.Contains(got, "대기 순서 40번") {
			t.Errorf("ETA %v: got %q, want place 40 and %q", tt.eta, got, tt.want)
		}
	}

	// A config that words the ETA its own way: its eta keeps {minutes}
	// under an hour (configs written before the hour texts), and the hour
	// texts are its own too.
	cfg := testConfig()
	cfg.Texts.ETA = "{minutes}분 정도"
	cfg.Texts.ETAHours = "{h}시간 정도"
	cfg.Texts.ETAHoursHalf = "{h}시간 반 정도"
	cfg.Texts.ETALong = "한참 (최소 {h}시간)"
	e = newEngine(t, cfg, Options{})
	for _, tt := range []struct {
		eta  time.Duration
		want string
	}{
		{45 * time.Minute, "예상 대기 45분 정도."},
		{2 * time.Hour, "예상 대기 2시간 정도."},
		{90 * time.Minute, "예상 대기 1시간 반 정도."},
		{5 * time.Hour, "예상 대기 한참 (최소 3시간)."},
	} {
		if got := status(e, tt.eta); !strings.Contains(got, tt.want) {
			t.Errorf("own texts, ETA %v: got %q, want %q", tt.eta, got, tt.want)
		}
	}
}
