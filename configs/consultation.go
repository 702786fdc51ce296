package configs

import "strings"

// validateConsultationTargets refuses, under consultation one_on_one, a
// queue whose target is a 상담톡 dealer: the channel's operator button opens
// its 1:1 chat (a channel sends it to 1:1 chat or to 상담톡, never both), so
// the user never reaches the dealer while the dealer waits for them, and no
// notify sink tells a 1:1 agent either.
func (t *tree) validateConsultationTargets(c *Config) {
	if c.Kakao.Consultation != ConsultationOneOnOne {
		return
	}
	for _, name := range t.keys(path{"handoff", "queues"}) {
		q, ok := c.Handoff.Queues[name]
		if !ok || !strings.HasPrefix(q.Target, "dealer:") {
			continue
		}
		t.errAt(path{"handoff", "queues", name, "target"},
			`queue %q: target %q is a 상담톡 dealer, but kakao.consultation is "one_on_one": the operator button opens the channel's 1:1 chat, so the user never reaches the dealer; use target "notify" (1:1 chat agents are told through the notify sinks), or set consultation: sangdamtalk and send the operator button to 상담톡`,
			name, q.Target)
	}
}
