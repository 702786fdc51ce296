package main

import "github.com/baton-chat/baton/configs"

// repairIdleAfterReload runs the timer repair in the background when a
// reload from cur to cfg turns handoff.one_on_one_idle on or changes it:
// sessions accepted while it was off, or whose idle timer a firing
// cancelled under off, have no idle timer, and only a repair schedules one
// (due one_on_one_idle after the acceptance, so a session accepted longer
// ago than that is closed at once). It waits for the start-up repair, so
// the two never run together, and stops with the other background work.
func (m *Main) repairIdleAfterReload(cur, cfg *configs.Config) {
	if cfg.Handoff.OneOnOneIdle == cur.Handoff.OneOnOneIdle || cfg.Handoff.OneOnOneIdle.Off() ||
		m.bgCtx == nil || m.Timers == nil {
		return
	}
	ctx, startup, log := m.bgCtx, m.repaired, m.Logger
	m.bg.Go(func() {
		select {
		case <-startup:
		case <-ctx.Done():
			return
		}
		n, err := m.Timers.Repair(ctx)
		if err != nil {
			log.Warn("timers: repair after one_on_one_idle reload", "err", err)
			return
		}
		log.Info("timers: repair after one_on_one_idle reload", "conversations", n)
	})
}
