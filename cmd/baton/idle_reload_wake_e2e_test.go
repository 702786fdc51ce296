package main

import (
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/store"
)

// TestReloadRepairLeavesAtOnce: the idle timer a reload (POST
// /admin/reload) schedules in the background for a 1:1 session accepted
// while handoff.one_on_one_idle was off is an outbox row; the timers wake
// the relay after the repair commits it, so its schedule reaches the
// stream at once, with the relay's sweep set to a minute.
func TestReloadRepairLeavesAtOnce(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, withOneOnOneIdle(t, "off"))
	clock := &testClock{t: mondayMorning}
	m := startBatonLogging(t, path, t.TempDir(), clock, slog.New(slog.DiscardHandler),
		func(m *Main) { m.RelaySweep = time.Minute }, env.configure)
	<-m.repaired // the start-up repair found nothing to do

	s := newSession(t, m, clock, "u-idle-reload-wake")
	id := acceptOneOnOne(t, m, s)
	writeConfig(t, path, withOneOnOneIdle(t, "1h"))
	reloadOK(t, m)
	wantOnStreamSoon(t, m, handoff.SubjectTimerSchedule(store.TimerIdle, id))
}
