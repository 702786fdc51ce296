package store

// Batches that only read. PendingOutbox and RecentTurns read on the writer's
// connection as requests of the group commit, so that their answer comes
// after the fsync that covers every commit they saw. On an idle store such a
// request is a batch of its own: without this, each one (the relay's sweep
// every few seconds, its read after each Wake) cost an fsync of a WAL that
// nothing had written to since the last one.
//
// The writer marks the syncer unsynced after every COMMIT that may have
// appended frames (and after anything else that may have: a failed batch,
// a journal repair), before it queues that batch; the syncer clears the mark
// just before each fsync. A round of queued batches that finds the mark
// clear is answered without an fsync: every commit the writer made before
// those batches marked it, and the fsync that followed the clearing of that
// mark has returned (rounds run one after another) — the frames of a COMMIT
// are written before it is marked, and so before that fsync began. Rounds
// stay in order, and a failed fsync stays sticky, as before.

// markUnsynced records that the writer may have appended frames to the WAL
// that no fsync has begun after. Call it after the write, never before.
func (s *walSyncer) markUnsynced() { s.unsynced.Store(true) }

// readOnly reports whether the batch of reqs, committed just now, wrote
// nothing: it holds at least one request, every request only read (or was
// abandoned before it ran), and the journal flush of its commit wrote no
// row and freed none. A batch of no request (FlushAge's idle flush) wrote.
func (w *writer) readOnly(reqs []*request) bool {
	if len(reqs) == 0 || len(w.j.wrote) > 0 || w.j.freedNext != 0 {
		return false
	}
	for _, r := range reqs {
		if r.read == nil && r.err != errSkipped {
			return false
		}
	}
	return true
}
