//go:build audit

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

// TestAuditLoseScheduleBeyondStreamMaxAge shows that Baton writes message
// schedules that fire later than the BATON stream's MaxAge (14 d,
// StreamConfig). JetStream ages a schedule message out like any other
// message, so such a schedule is deleted before it fires (checked on the
// embedded nats-server 2.15.2: a stream with MaxAge 2 s dropped an "@at +6 s"
// schedule unfired). The timer row stays pending forever and
// ConversationsWithoutTimer (Repair) never looks at it: an accepted 1:1
// handoff is never closed by one_on_one_idle, a waiting one never times
// out, a "열리면 알려주세요" reopen across a closure of more than 14 days is
// never sent. The config validates one_on_one_idle (and wait_timeout) of
// any length, and ReopenDue looks 400 days ahead.
func TestAuditLoseScheduleBeyondStreamMaxAge(t *testing.T) {
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
