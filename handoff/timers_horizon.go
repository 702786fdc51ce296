package handoff

import "time"

// TimerHorizon is how far ahead a timer's message schedule may fire: a day
// less than the BATON stream's MaxAge (StreamConfig), since JetStream ages a
// schedule out like any other message and would delete a later one unfired.
// A timer due later (a long handoff.one_on_one_idle or wait_timeout, a
// reopen across a long closure) is scheduled for the horizon; that early
// firing finds the row not yet due and schedules it again (TimerConsumer),
// until it is due.
const TimerHorizon = 13 * 24 * time.Hour

// capHorizon returns fireAt, or wall+TimerHorizon when fireAt is later.
func capHorizon(fireAt, wall time.Time) time.Time {
	if limit := wall.Add(TimerHorizon); fireAt.After(limit) {
		return limit
	}
	return fireAt
}
