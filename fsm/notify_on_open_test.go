package fsm

import (
	"strings"
	"testing"
	"time"
)

// TestNotifyOnOpenNeedsReopen: 열리면 알려주세요 is offered to a friend only
// when a reopen message can be sent (Options.NoReopen false); without it a
// tap or the typed label leaves after_hours for the menu and schedules
// nothing.
func TestNotifyOnOpenNeedsReopen(t *testing.T) {
	hours := hoursStub{closed: map[string]bool{"general": true, "vip": true},
		next: time.Date(2026, 11, 24, 9, 0, 0, 0, seoul)}
	afterHours := func() Conversation {
		c := welcomedBot()
		c.State, c.Queue, c.StateSince = StateAfterHours, "general", t0.Add(-time.Minute)
		return c
	}
	for _, tc := range []struct {
		name     string
		noReopen bool
		offered  bool
	}{
		{"reopen can be sent", false, true},
		{"no reopen can be sent", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEngine(t, testConfig(), Options{Hours: hours, NoReopen: tc.noReopen})
			o := e.Step(welcomedBot(), text("상담원"))
			if o.Conversation.State != StateAfterHours {
				t.Fatalf("state after 상담원 out of hours: got %s, want %s", o.Conversation.State, StateAfterHours)
			}
			if got := hasQR(o.Reply, e.texts.NotifyOnOpen); got != tc.offered {
				t.Errorf("열리면 알려주세요 offered: got %v, want %v (quick replies %v)", got, tc.offered, qrLabels(o.Reply))
			}
			if !hasQR(o.Reply, e.texts.LeaveMessage) {
				t.Errorf("메시지 남기기 offered: got false, want true (quick replies %v)", qrLabels(o.Reply))
			}

			for _, in := range []Input{
				tapIn(e.texts.NotifyOnOpen, Tap{V: "v1", N: nodeAfterHours, O: optNotify, S: StateAfterHours}),
				text(e.texts.NotifyOnOpen),
			} {
				o := e.Step(afterHours(), in)
				if tc.offered {
					wantTransitions(t, o, Transition{StateAfterHours, StateBot, EventNotifyOnOpen, EventNotifyOnOpen})
					continue
				}
				for _, tr := range o.Transitions {
					if tr.Event == EventNotifyOnOpen {
						t.Errorf("input %q: got transition %+v, want no notify_on_open", in.Utterance, tr)
					}
				}
				if o.Conversation.State != StateBot {
					t.Errorf("input %q: got state %s, want %s", in.Utterance, o.Conversation.State, StateBot)
				}
				if got := allText(o.Reply); strings.Contains(got, e.texts.NotifyScheduled) {
					t.Errorf("input %q: got %q, want no 알려드릴게요 promise", in.Utterance, got)
				}
			}
		})
	}
}
