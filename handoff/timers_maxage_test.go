package handoff

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// TestScheduleWithinStreamMaxAge checks that a timer due later than the
// BATON stream's MaxAge (an accepted 1:1 handoff with one_on_one_idle: 20d)
// gets a message schedule that fires within MaxAge — at TimerHorizon, a
// margin before it — since JetStream ages a schedule out like any other
// message; the early firing schedules it again (TimerConsumer).
func TestScheduleWithinStreamMaxAge(t *testing.T) {
	raw, err := os.ReadFile("../configs/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	yml := strings.Replace(string(raw), "one_on_one_idle: 24h", "one_on_one_idle: 20d", 1)
	if yml == string(raw) {
		t.Fatal("example.yaml no longer sets one_on_one_idle: 24h; update the test")
	}
	cfg, err := configs.Parse("example.yaml", []byte(yml))
	if err != nil {
		t.Fatalf("a config with one_on_one_idle: 20d is rejected (%v): then this finding is fixed by validation", err)
	}
	p := NewTimerPolicy(cfg, nil)
	now := time.Now()
	p.Wall = func() time.Time { return now }
	o := fsm.Outcome{
		Conversation: fsm.Conversation{State: fsm.StateHuman, HandoffID: "H1", Queue: "general", UserKey: "u1"},
		Transitions:  []fsm.Transition{{From: fsm.StateWaiting, To: fsm.StateHuman, Event: fsm.EventAccepted, Reason: "link"}},
	}
	msgs := p.Outbox(p.Plan(&o, store.User{Key: "u1"}, now), now)
	if len(msgs) != 1 {
		t.Fatalf("got %d schedules for an accepted 1:1 handoff, want 1 (its idle timer)", len(msgs))
	}
	at, err := time.Parse(time.RFC3339, strings.TrimPrefix(msgs[0].Headers[headerSchedule], "@at "))
	if err != nil {
		t.Fatal(err)
	}
	maxAge := StreamConfig(1).MaxAge
	if got := at.Sub(now); got > maxAge {
		t.Errorf("got a schedule firing %v after it is stored, want at most the stream's MaxAge %v (it is aged out unfired; cap it and let the early-firing path re-schedule)", got, maxAge)
	}
}

// TestTimerHorizonBelowMaxAge checks the horizon keeps a margin below the
// stream's MaxAge, and that FireAt caps at it and only at it.
func TestTimerHorizonBelowMaxAge(t *testing.T) {
	maxAge := StreamConfig(1).MaxAge
	if TimerHorizon > maxAge-12*time.Hour {
		t.Errorf("got TimerHorizon %v, want at least 12 h below the stream's MaxAge %v", TimerHorizon, maxAge)
	}
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	p := &TimerPolicy{Wall: func() time.Time { return now }}
	for _, tc := range []struct {
		after, want time.Duration
	}{
		{time.Minute, time.Minute},
		{TimerHorizon, TimerHorizon},
		{TimerHorizon + time.Second, TimerHorizon},
		{400 * 24 * time.Hour, TimerHorizon},
	} {
		if got := p.FireAt(now.Add(tc.after), now).Sub(now); got != tc.want {
			t.Errorf("FireAt(now+%v): got now+%v, want now+%v", tc.after, got, tc.want)
		}
	}
}
