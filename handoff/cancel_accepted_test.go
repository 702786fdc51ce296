package handoff

import (
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
)

// TestCancelAcceptedPublishesCancel: a user's 상담 취소 that reached the
// bot just after an agent took the handoff (human → bot, event cancel)
// publishes its end as a cancel, as a cancel while waiting does: the router
// then tells a dealer (cancel call) and the sinks (handoff.closed,
// user_cancel), not that the user came back from a session (returned).
func TestCancelAcceptedPublishesCancel(t *testing.T) {
	now := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	o := &fsm.Outcome{
		Transitions: []fsm.Transition{{From: fsm.StateHuman, To: fsm.StateBot, Event: fsm.EventCancel, Reason: "user_cancel"}},
		Close:       &fsm.HandoffClose{ID: "h1", Reason: "user_cancel", NotifyDealer: true},
	}
	msgs := Effects{}.Outbox(o, "u1", now)
	if len(msgs) != 1 || msgs[0].Subject != SubjectEvent("h1", EventCancel) {
		t.Fatalf("got %+v, want one %s", msgs, SubjectEvent("h1", EventCancel))
	}
}
