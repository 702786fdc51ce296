package main

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
)

// exampleOneOnOneIdle is the example config's one_on_one_idle setting,
// up to its comment.
const exampleOneOnOneIdle = "  one_on_one_idle: 24h "

// endByAdmin ends handoff id of s through the admin API, as an agent must
// when nothing closes it by itself.
func endByAdmin(t *testing.T, m *Main, s *session, id string) {
	t.Helper()
	if code, body := adminCall(t, m, http.MethodPost, "/admin/handoffs/"+id+"/end"); code != http.StatusOK {
		t.Fatalf("end: got %d %v", code, body)
	}
	s.wantState(fsm.StateBot)
}

// withOneOnOneIdle sets handoff.one_on_one_idle of the example config.
func withOneOnOneIdle(t *testing.T, value string) func(string) string {
	return func(s string) string {
		return replaceOnce(t, s, exampleOneOnOneIdle, "  one_on_one_idle: "+value+" ")
	}
}

// TestOneOnOneIdleOffSchedulesNothing: with handoff.one_on_one_idle: off an
// accepted 1:1 handoff gets no idle timer, and start-up Repair schedules
// none for it either: it stays with the agent until someone ends it.
func TestOneOnOneIdleOffSchedulesNothing(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, withOneOnOneIdle(t, "off"))
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, path, t.TempDir(), clock, env)
	if !m.Config.Handoff.OneOnOneIdle.Off() {
		t.Fatalf("got one_on_one_idle %v, want off", m.Config.Handoff.OneOnOneIdle.D())
	}

	s := newSession(t, m, clock, "u-idle-off")
	id := acceptOneOnOne(t, m, s)
	if tm, found, err := m.DB.Timer(context.Background(), store.TimerIdle, id); err != nil || found {
		t.Fatalf("idle timer with one_on_one_idle off: got %+v found %v (err %v), want none", tm, found, err)
	}
	clock.Advance(48 * time.Hour)
	if n, err := m.Timers.Repair(context.Background()); err != nil || n != 0 {
		t.Fatalf("repair with one_on_one_idle off: got %d scheduled (err %v), want 0", n, err)
	}
	if _, found, err := m.DB.Timer(context.Background(), store.TimerIdle, id); err != nil || found {
		t.Errorf("idle timer after repair: found %v (err %v), want none", found, err)
	}
	s.wantState(fsm.StateHuman)
	endByAdmin(t, m, s, id)
}

// TestOneOnOneIdleTurnedOffByReload: an idle timer scheduled under
// one_on_one_idle: 2s that fires after a reload to off re-reads the config:
// the timer is cancelled and the handoff stays with the agent.
func TestOneOnOneIdleTurnedOffByReload(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, withOneOnOneIdle(t, "2s"))
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, path, t.TempDir(), clock, env)

	s := newSession(t, m, clock, "u-idle-reload-off")
	id := acceptOneOnOne(t, m, s)
	tm, found, err := m.DB.Timer(context.Background(), store.TimerIdle, id)
	if err != nil || !found || tm.Status != store.TimerPending {
		t.Fatalf("idle timer under 2s: got %+v found %v (err %v), want pending", tm, found, err)
	}

	writeConfig(t, path, withOneOnOneIdle(t, "off"))
	reloadOK(t, m)
	// Until the turn clock reaches the due time the firing is only
	// scheduled again (early); from now on it is due.
	clock.Advance(3 * time.Second)
	testutil.CheckFor(t, 15*time.Second, 20*time.Millisecond, func() error {
		tm, _, err := m.DB.Timer(context.Background(), store.TimerIdle, id)
		if err != nil {
			return err
		}
		if tm.Status == store.TimerPending {
			return fmt.Errorf("idle timer still pending")
		}
		return nil
	})
	if tm, _, err := m.DB.Timer(context.Background(), store.TimerIdle, id); err != nil || tm.Status != store.TimerCancelled {
		t.Errorf("idle timer after the reload to off: got %+v (err %v), want cancelled", tm, err)
	}
	if got, _, reason, ended := s.handoff(); got != id || ended {
		t.Errorf("handoff %s ended %v (reason %q), want %s still open", got, ended, reason, id)
	}
	s.wantState(fsm.StateHuman)
	endByAdmin(t, m, s, id)
}
