package main

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
)

// TestOneOnOneIdleTurnedOnByReload: a 1:1 session accepted while
// handoff.one_on_one_idle was off has no idle timer; a reload that turns it
// on repairs that in the background, without a restart: the timer is due
// one_on_one_idle after the acceptance.
func TestOneOnOneIdleTurnedOnByReload(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, withOneOnOneIdle(t, "off"))
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, path, t.TempDir(), clock, env)
	<-m.repaired // the start-up repair found nothing to do

	s := newSession(t, m, clock, "u-idle-reload-on")
	id := acceptOneOnOne(t, m, s)
	if tm, found, err := m.DB.Timer(context.Background(), store.TimerIdle, id); err != nil || found {
		t.Fatalf("idle timer with one_on_one_idle off: got %+v found %v (err %v), want none", tm, found, err)
	}

	writeConfig(t, path, withOneOnOneIdle(t, "1h"))
	reloadOK(t, m)
	testutil.CheckFor(t, 15*time.Second, 20*time.Millisecond, func() error {
		tm, found, err := m.DB.Timer(context.Background(), store.TimerIdle, id)
		if err != nil {
			return err
		}
		if !found || tm.Status != store.TimerPending {
			return fmt.Errorf("idle timer: got %+v found %v, want pending", tm, found)
		}
		return nil
	})
	h, ok, err := m.DB.Handoff(context.Background(), id)
	if err != nil || !ok {
		t.Fatalf("handoff %s: found %v (err %v)", id, ok, err)
	}
	tm, _, err := m.DB.Timer(context.Background(), store.TimerIdle, id)
	if err != nil {
		t.Fatal(err)
	}
	if want := h.AcceptedAt.Add(time.Hour); !tm.DueAt.Equal(want) {
		t.Errorf("got idle timer due %v, want %v (accepted + one_on_one_idle)", tm.DueAt, want)
	}
	endByAdmin(t, m, s, id)
}
