package handoff

import "time"

// inQueueZone returns t in the time zone of queue's hours, as fsm.Hours
// wants the next opening: the engine says 오늘/내일 and "오전 9시" from its
// wall clock. An admin override's Until comes in whatever zone its client
// wrote ("Z") and back from the store in UTC. A queue without hours is in
// configs.DefaultTimezone (Asia/Seoul); a zero t is returned as is.
func (h *Hours) inQueueZone(queue string, t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	if s, ok := h.queues[queue]; ok {
		return t.In(s.loc)
	}
	if h.loc == nil {
		return t
	}
	return t.In(h.loc)
}
