package skill

import "time"

// SetWaitingClock replaces the monotonic clock of s's waiting view (tests
// move it past waitingTTL).
func SetWaitingClock(s *Server, clock func() time.Time) { s.waiting.clock = clock }

// WaitingTTL is waitingTTL for tests.
const WaitingTTL = waitingTTL

// QueueListLimit is queueListLimit for tests.
const QueueListLimit = queueListLimit

// SetCallbackBudget sets how long s's callback turns may take (callbackBudget).
func SetCallbackBudget(s *Server, d time.Duration) { s.cbBudget = d }
