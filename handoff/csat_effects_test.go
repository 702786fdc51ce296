package handoff

import (
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// TestCSATEffectsAfterAnEventEnd checks when a session a human held and an
// event ended leaves a csat notification: not when the Event API cannot
// send it (NoCSATEvent), not for an idle close, not for a handoff the
// router failed over from its dealer, not for test traffic.
func TestCSATEffectsAfterAnEventEnd(t *testing.T) {
	now := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	ended := func(reason string) *fsm.Outcome {
		return &fsm.Outcome{
			Conversation: fsm.Conversation{UserKey: "u1", State: fsm.StateBot},
			Transitions:  []fsm.Transition{{From: fsm.StateHuman, To: fsm.StateBot, Event: fsm.EventEnded, Reason: reason}},
			Close:        &fsm.HandoffClose{ID: "h1", Reason: reason},
		}
	}
	for _, tc := range []struct {
		name       string
		e          Effects
		o          *fsm.Outcome
		tester     bool
		want       int
		failedOver bool
	}{
		{"end link, Event API sends csat", Effects{}, ended("agent_link"), false, 1, false},
		{"dealer session.ended, Event API sends csat", Effects{}, ended("ended:agent"), false, 1, false},
		{"end link, Event API off", Effects{NoCSATEvent: true}, ended("agent_link"), false, 0, false},
		{"dealer session.ended, Event API off", Effects{NoCSATEvent: true}, ended("ended:agent"), false, 0, false},
		{"idle close", Effects{}, ended(ReasonIdle), false, 0, false},
		{"test traffic", Effects{}, ended("agent_link"), true, 0, false},
		{"failed-over handoff, end link", Effects{}, ended("agent_link"), false, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := &store.TurnWrite{User: store.User{Key: "u1", Test: tc.tester},
				EndHandoff: &store.HandoffEnd{ID: "h1", FailedOver: tc.failedOver}}
			tc.e.addCSAT(tc.o, w, now)
			got := 0
			for _, op := range w.Ops {
				if strings.HasSuffix(op.Name, " "+store.NotifyCSAT) {
					got++
				}
			}
			if got != tc.want {
				t.Errorf("csat notifications: got %d, want %d (ops %+v)", got, tc.want, w.Ops)
			}
		})
	}
}
