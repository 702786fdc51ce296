package skill

// WithUser runs fn while holding userKey's turn lock: no turn or Apply of
// that user runs meanwhile (in this process). The admin API erases a user
// under it, so a turn in flight cannot write the user back half-way.
// It returns fn's error.
//
// fn may change the user's handoffs behind the waiting view (an erasure
// deletes them, and a waiting user's place in line with them), so once it
// returns, even with an error (an erasure may have committed before a
// later step failed), the view forgets its queue lines and statistics: the
// next waiting turn of each queue reads them again, and the users behind
// an erased one move up at once rather than after the view's TTL.
func (s *Server) WithUser(userKey string, fn func() error) error {
	mu := s.locks.lock(userKey)
	defer mu.Unlock()
	defer s.waiting.forgetLines()
	return fn()
}

// forgetLines drops every cached queue line and statistics entry, for a
// change made behind the view that it cannot place (WithUser: an erased
// user's handoffs are deleted). Each queue is read again on its next
// waiting turn; a read already under way is not installed (refreshLine
// finds its entry gone).
func (v *waitingView) forgetLines() {
	v.mu.Lock()
	defer v.mu.Unlock()
	clear(v.lines)
	clear(v.stats)
}
