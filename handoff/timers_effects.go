package handoff

import (
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// addTimers schedules and cancels the durable timers o implies
// (wait_timeout, after_hours, reopen, idle).
func (e Effects) addTimers(o *fsm.Outcome, w *store.TurnWrite, now time.Time) {}
