package handoff

import (
	"testing"
	"time"

	"github.com/baton-chat/baton/store"
)

// TestEndedWhileWaitingTimeout: a dealer wait timeout is one the user's
// next turn must be told of only when its Event API apology cannot reach
// them — not a friend, test traffic, or the Event API sends no wait_timeout
// message (NoWaitTimeoutEvent) — so a friend it reached is not told twice;
// a one_on_one wait timeout closes silently.
func TestEndedWhileWaitingTimeout(t *testing.T) {
	at := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	friend := store.User{Key: "u1", IsFriend: true}
	for _, tc := range []struct {
		name   string
		fx     Effects
		target string
		test   bool
		u      store.User
		want   bool
	}{
		{"friend, the Event API sends it", Effects{}, "dealer:happytalk", false, friend, false},
		{"not a friend", Effects{}, "dealer:happytalk", false, store.User{Key: "u1"}, true},
		{"test traffic (the user)", Effects{}, "dealer:happytalk", false, store.User{Key: "u1", IsFriend: true, Test: true}, true},
		{"test traffic (the handoff)", Effects{}, "dealer:happytalk", true, friend, true},
		{"the Event API off", Effects{NoWaitTimeoutEvent: true}, "dealer:happytalk", false, friend, true},
		{"one_on_one, not a friend: silent", Effects{}, "notify", false, store.User{Key: "u1"}, false},
	} {
		h := store.Handoff{ID: "h1", Target: tc.target, Test: tc.test, EndReason: "wait_timeout", EndedAt: at}
		if got := tc.fx.EndedWhileWaiting(h, tc.u); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}
