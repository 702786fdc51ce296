package handoff

import "time"

// inQueueZone returns t in the time zone of queue's hours, as fsm.Hours
// wants the next opening: the engine says 오늘/내일 and "오전 9시" from its
// wall clock. An admin override's Until comes in whatever zone its client
// wrote ("Z") and back from the store in UTC; a zero t, or a queue without
// hours, is returned as is.
func (h *Hours) inQueueZone(queue string, t time.Time) time.Time {
	s, ok := h.queues[queue]
	if !ok || t.IsZero() {
		return t
	}
	return t.In(s.loc)
}
