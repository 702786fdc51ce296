package store

import "time"

// ckptHealth bounds the checkpointer's failure lines as write_health.go
// bounds the writer's: on a full disk every checkpoint fails (the database
// file cannot grow), once per checkpointInterval, and a line per failure
// buried the log. Checkpointer goroutine only.
type ckptHealth struct {
	// cause and logged are the Cause and time of the failure logged last
	// at WARN, unlogged the failed checkpoints since, run those since one
	// last succeeded and runLogged whether that run was logged;
	// recoveredLogged is when "checkpoints recovered" was logged last and
	// saidRecovered whether it is the last line logged. clock (nil:
	// time.Now) is the time they use.
	cause           string
	logged          time.Time
	unlogged        int
	run             int
	runLogged       bool
	recoveredLogged time.Time
	saidRecovered   bool
	clock           func() time.Time
}

// now is the checkpointer's clock for its log bounds.
func (h *ckptHealth) now() time.Time {
	if h.clock != nil {
		return h.clock()
	}
	return time.Now()
}

// ckptFailed records a failed checkpoint (what names the step). The first
// failure of a cause is logged at WARN, then at most once per failLogEvery
// while it persists, with the count of failed checkpoints since the line
// before; the failures between are logged at DEBUG. A failure after a
// logged recovery is logged at once, so the last line never says
// recovered while checkpoints fail.
func (db *DB) ckptFailed(what string, err error) {
	h := &db.ckptHealth
	h.run++
	h.unlogged++
	cause, now, again := Cause(err), h.now(), h.saidRecovered
	if cause == h.cause && !again && now.Sub(h.logged) < failLogEvery {
		db.log.Debug("checkpoint failed", "step", what, "cause", cause, "err", err)
		return
	}
	h.cause, h.logged, h.runLogged, h.saidRecovered = cause, now, true, false
	if cause == "" {
		cause = "unknown"
	}
	msg := "store: checkpoint failed; the WAL grows until one succeeds (logged once a minute while it lasts)"
	if again {
		msg = "store: checkpoints failing again; the WAL grows until one succeeds (logged once a minute while it lasts)"
	}
	db.log.Warn(msg, "step", what, "cause", cause, "failed_checkpoints", h.unlogged, "err", err)
	h.unlogged = 0
}

// ckptSucceeded records a checkpoint that succeeded. The end of a logged
// run of failures is logged once, at most once per failLogEvery: a
// recovery sooner after the last one logged is held back until a
// checkpoint succeeds once that minute has passed.
func (db *DB) ckptSucceeded() {
	h := &db.ckptHealth
	if h.run == 0 {
		return
	}
	if h.runLogged {
		now := h.now()
		if !h.recoveredLogged.IsZero() && now.Sub(h.recoveredLogged) < failLogEvery {
			return // flapping: said at most once a minute
		}
		db.log.Warn("store: checkpoints recovered", "failed_checkpoints", h.run, "cause", h.cause)
		h.recoveredLogged, h.saidRecovered = now, true
	}
	h.run, h.runLogged, h.unlogged = 0, false, 0
}
