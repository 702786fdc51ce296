package fsm

// The confirm question ("상담원을 연결할까요?") is asked for an escalation
// whose reason (menu, faq_misses, keyword, ...) the handoff must record.
// The yes quick reply carries it in its extra, but a user may type "네"
// instead, so the reason is also kept in the conversation while the
// question waits: in Intake.Reason with no intake Step, which the store
// persists with the conversation (and which an older stored conversation
// without it decodes to "": the default ReasonKeyword).

// holdPendingReason keeps reason in the conversation for the confirm
// question just asked.
func (t *turn) holdPendingReason(reason string) {
	t.conv.Intake = Intake{Reason: reason}
}

// pendingReason is the reason of the escalation the confirm question is
// about: the one held when it was asked, else ReasonKeyword.
func (t *turn) pendingReason() string {
	if r := t.conv.Intake.Reason; r != "" {
		return r
	}
	return ReasonKeyword
}

// dropPendingReason forgets a held reason once the conversation has left
// confirm (answered, declined, ignored): it lives there only, but for the
// reason an after_hours stay began with (the ticket's origin,
// ticket_origin.go).
func (t *turn) dropPendingReason() {
	if t.conv.State != StateConfirm && t.conv.State != StateAfterHours && t.conv.Intake.Step == "" {
		t.conv.Intake = Intake{}
	}
}
