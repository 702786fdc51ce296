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

// warnNotifyUnderSangdamtalk warns, under consultation sangdamtalk, about a
// queue whose target is notify: the handoff card's operator button opens
// 상담톡, where the dealer's agents answer, while the notify sinks tell
// agents who cannot reach a 상담톡 user (Baton never sees 상담톡, and the
// accept/end links only record that somebody took it). A queue that asks for
// a call-back number (a required intake field marked phone or pii) is exempt: its agents
// reach the user outside KakaoTalk.
func (t *tree) warnNotifyUnderSangdamtalk(c *Config) {
	if c.Kakao.Consultation != ConsultationSangdamtalk {
		return
	}
	for _, name := range t.keys(path{"handoff", "queues"}) {
		q, ok := c.Handoff.Queues[name]
		if !ok || q.Target != "notify" || takesCallbackNumber(q) {
			continue
		}
		t.warnAt(path{"handoff", "queues", name, "target"},
			`queue %q: target "notify" under consultation "sangdamtalk": the operator button opens 상담톡, where the notify sinks' agents cannot reach the user; target a dealer ("dealer:<name>"), or, for a call-back queue, ask for the number in a required intake field with phone: true and pii: true`,
			name)
	}
}

// takesCallbackNumber reports whether q asks every user for personal
// contact data before the handoff: an intake field that is not optional
// and is a phone number (phone: true) or pii.
func takesCallbackNumber(q Queue) bool {
	for _, f := range q.Intake {
		if (f.Phone || f.PII) && !f.Optional {
			return true
		}
	}
	return false
}
