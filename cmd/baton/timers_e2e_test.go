package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
)

// TestServeTimesOutAWait runs the served wiring: a turn schedules the wait
// timer through the outbox, JetStream fires it, the timer consumer moves the
// conversation back to bot. The turn clock is injected (office hours); the
// timer still fires a second of real time later.
func TestServeTimesOutAWait(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: mondayMorning}
	m := startBaton(t, exampleConfig, t.TempDir(), clock)
	p := *m.TimerConfig.Policy()
	p.NotifyWait = time.Second
	m.TimerConfig.Set(&p)

	s := newSession(t, m, clock, "u-serve-timeout")
	s.welcome()
	toWaiting(s)
	id, _, _, _ := s.handoff()
	if tm, ok, err := m.DB.Timer(context.Background(), store.TimerWaitTimeout, id); err != nil || !ok || tm.Status != store.TimerPending {
		t.Fatalf("wait timer of %s: %+v, found %v, err %v; want pending", id, tm, ok, err)
	}
	testutil.CheckFor(t, 15*time.Second, 20*time.Millisecond, func() error {
		if c := s.conv(); c.State != fsm.StateBot {
			return fmt.Errorf("state %s, want bot", c.State)
		}
		return nil
	})
	if _, _, reason, ended := s.handoff(); !ended || reason != fsm.EventWaitTimeout {
		t.Errorf("handoff ended %v reason %q, want ended by wait_timeout", ended, reason)
	}
	if tm, _, err := m.DB.Timer(context.Background(), store.TimerWaitTimeout, id); err != nil || tm.Status != store.TimerFired {
		t.Errorf("wait timer: %+v (err %v), want fired", tm, err)
	}
}
