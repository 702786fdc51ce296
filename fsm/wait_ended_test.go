package fsm

import (
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
)

// TestWaitEndedNotice: Input.WaitEnded puts texts.handoff_ended_waiting
// first in a bot turn's reply, before the turn's normal answer (a menu, the
// first-turn notice), and never in a reply from another state; the reply is
// then no static one.
func TestWaitEndedNotice(t *testing.T) {
	line := configs.DefaultTexts().HandoffEndedWaiting
	e := newEngine(t, testConfig(), Options{})
	waiting := welcomedBot()
	waiting.State, waiting.HandoffID, waiting.Queue, waiting.StateSince = StateWaiting, "h1", "general", t0.Add(-time.Minute)
	fresh := welcomedBot()
	fresh.WelcomedAt = time.Time{}
	ended := func(in Input) Input { in.WaitEnded = true; return in }
	for _, tc := range []struct {
		name   string
		conv   Conversation
		in     Input
		want   bool   // the line comes first
		follow string // the message after it contains this
	}{
		{"bot turn after the end", welcomedBot(), ended(text("처음으로")), true, "무엇을 도와드릴까요?"},
		{"first turn: the line, then the privacy notice", fresh, ended(text("처음으로")), true, "90일"},
		{"no end", welcomedBot(), text("처음으로"), false, ""},
		{"a waiting turn never says it", waiting, ended(text("처음으로")), false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := e.Step(tc.conv, tc.in)
			all := allText(o.Reply)
			if got := strings.HasPrefix(all, line); got != tc.want {
				t.Fatalf("got line first %v, want %v; reply %q", got, tc.want, all)
			}
			if !tc.want {
				if strings.Contains(all, line) {
					t.Errorf("got %q, want no %q", all, line)
				}
				return
			}
			if rest := strings.TrimPrefix(all, line); !strings.Contains(rest, tc.follow) {
				t.Errorf("got reply %q, want the answer with %q after the line", all, tc.follow)
			}
			if o.Reply.CacheKey != "" {
				t.Errorf("got cache key %q, want none (the line is per turn)", o.Reply.CacheKey)
			}
		})
	}
}
