package store

import "time"

// failLog bounds the lines a run of failures logs, for the writer's
// batches (write_health.go) and the checkpointer (checkpoint_health.go):
// on a full disk every batch and every checkpoint fails, and a line per
// failure would bury the log. The first failure of a cause is logged, then
// at most once per failLogEvery while it persists, with the count of
// failures since the line before; the failures between are the caller's to
// log at DEBUG. The first failure after a logged recovery is logged at
// once, so the last line never says recovered while failures go on. The
// end of a logged run is logged once, at most once per failLogEvery: a
// recovery sooner after the last one logged (a flapping disk) is held back
// until a success once that minute has passed, and failures meanwhile stay
// in the run it ends. One goroutine only.
type failLog struct {
	// cause and logged are the Cause and time of the failure logged last,
	// unlogged the failures since, run those since the last success and
	// runLogged whether that run was logged; recoveredLogged is when the
	// recovery was logged last and saidRecovered whether it is the last
	// line logged. clock (nil: time.Now) is the time they use.
	cause           string
	logged          time.Time
	unlogged        int
	run             int
	runLogged       bool
	recoveredLogged time.Time
	saidRecovered   bool
	clock           func() time.Time
}

// now is the clock of the log bounds: clock, else time.Now.
func (f *failLog) now() time.Time {
	if f.clock != nil {
		return f.clock()
	}
	return time.Now()
}

// failed records a failure with cause (Cause of its error). It reports
// whether to log it, again whether it follows a logged recovery, and count
// the failures the line covers (this one and those held back since the
// line before).
func (f *failLog) failed(cause string) (log, again bool, count int) {
	f.run++
	f.unlogged++
	now, again := f.now(), f.saidRecovered
	if cause == f.cause && !again && now.Sub(f.logged) < failLogEvery {
		return false, false, 0
	}
	f.cause, f.logged, f.runLogged, f.saidRecovered = cause, now, true, false
	count, f.unlogged = f.unlogged, 0
	return true, again, count
}

// succeeded records a success. It reports whether to log the end of the
// run of failures, with the run's length and the cause logged last.
func (f *failLog) succeeded() (log bool, run int, cause string) {
	if f.run == 0 {
		return false, 0, ""
	}
	if f.runLogged {
		now := f.now()
		if !f.recoveredLogged.IsZero() && now.Sub(f.recoveredLogged) < failLogEvery {
			return false, 0, "" // flapping: said at most once a minute
		}
		log, run, cause = true, f.run, f.cause
		// The line counts the run, held-back failures too: the next
		// failure line counts from here.
		f.recoveredLogged, f.saidRecovered, f.unlogged = now, true, 0
	}
	f.run, f.runLogged = 0, false
	return log, run, cause
}

// causeOrUnknown names a cause for a log line.
func causeOrUnknown(cause string) string {
	if cause == "" {
		return "unknown"
	}
	return cause
}
