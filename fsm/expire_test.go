package fsm

import (
	"errors"
	"testing"
	"time"
)

func TestApplyExpire(t *testing.T) {
	e := newEngine(t, testConfig(), Options{})
	c := welcomedBot()
	c.State, c.Queue, c.StateSince = StateAfterHours, "general", t0.Add(-time.Hour)
	o, err := e.Apply(c, EventExpire, t0, ReasonAfterHoursExpired)
	if err != nil {
		t.Fatalf("Apply expire: %v", err)
	}
	wantTransitions(t, o, Transition{StateAfterHours, StateBot, EventExpire, ReasonAfterHoursExpired})
	if got := o.Conversation; got.State != StateBot || got.Queue != "" || !got.StateSince.Equal(t0) {
		t.Errorf("got conversation state %s queue %q since %v, want bot, no queue, since %v", got.State, got.Queue, got.StateSince, t0)
	}
	if !o.Reply.Silent || o.Close != nil || o.Open != nil {
		t.Errorf("got reply silent=%v close=%v open=%v, want a silent reply and no handoff effects", o.Reply.Silent, o.Close, o.Open)
	}
	for _, s := range []State{StateBot, StateWaiting, StateHuman, StateConfirm} {
		c.State = s
		if _, err := e.Apply(c, EventExpire, t0, ""); !errors.Is(err, ErrNoTransition) {
			t.Errorf("expire in %s: got %v, want ErrNoTransition", s, err)
		}
	}
}
