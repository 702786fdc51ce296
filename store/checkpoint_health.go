package store

// ckptFailed records a failed checkpoint (what names the step), logged at
// WARN within the bounds of failLog: on a full disk every checkpoint fails
// (the database file cannot grow), once per checkpointInterval.
// Checkpointer goroutine only.
func (db *DB) ckptFailed(what string, err error) {
	cause := Cause(err)
	log, again, count := db.ckptHealth.failed(cause)
	if !log {
		db.log.Debug("checkpoint failed", "step", what, "cause", cause, "err", err)
		return
	}
	msg := "store: checkpoint failed; the WAL grows until one succeeds (logged once a minute while it lasts)"
	if again {
		msg = "store: checkpoints failing again; the WAL grows until one succeeds (logged once a minute while it lasts)"
	}
	db.log.Warn(msg, "step", what, "cause", causeOrUnknown(cause), "failed_checkpoints", count, "err", err)
}

// ckptSucceeded records a checkpoint that succeeded; the end of a logged
// run of failures is logged once (failLog).
func (db *DB) ckptSucceeded() {
	if log, run, cause := db.ckptHealth.succeeded(); log {
		db.log.Warn("store: checkpoints recovered", "failed_checkpoints", run, "cause", cause)
	}
}
