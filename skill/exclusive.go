package skill

// WithUser runs fn while holding userKey's turn lock: no turn or Apply of
// that user runs meanwhile (in this process). The admin API erases a user
// under it, so a turn in flight cannot write the user back half-way.
// It returns fn's error.
func (s *Server) WithUser(userKey string, fn func() error) error {
	mu := s.locks.lock(userKey)
	defer mu.Unlock()
	return fn()
}
