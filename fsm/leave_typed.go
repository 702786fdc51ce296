package fsm

// A reply that offers 메시지 남기기 (texts.leave_message) as a quick reply
// also takes the words typed: the after-hours and busy replies (state
// after_hours), and in bot state the wait-timeout apology, and the
// complaint replies and FAQ answers out of hours, which note the offer in
// the conversation for the next turn (offerLeave). Without such an offer,
// the same words in bot state are text like any other (the FAQ, the menu).

// leaveObjects and leaveVerbs make up the typed ways of saying "I'll leave
// a message": an object ("메시지", "문의", or none) then a verb
// ("남기기", "남길게요"), spaces ignored.
var (
	leaveObjects = []string{"", "메시지", "메세지", "문의", "문의사항", "문의글"}
	leaveVerbs   = []string{"남기기", "남길게요", "남길께요", "남길게", "남길래요", "남겨요", "남깁니다",
		"남기겠습니다", "남기겠어요", "남기고싶어요", "남겨둘게요", "남겨놓을게요", "남기기요"}
	leaveWords = leavePhrases()
)

// leavePhrases folds every object and verb pair into one set.
func leavePhrases() map[string]bool {
	words := make([]string, 0, len(leaveObjects)*len(leaveVerbs))
	for _, o := range leaveObjects {
		for _, v := range leaveVerbs {
			words = append(words, o+v)
		}
	}
	return tokenSet(words...)
}

// leaveTyped reports whether the folded utterance n asks to leave a
// message: texts.leave_message as typed, or one of leaveWords
// ("메시지 남기기", "메세지 남길게요", "문의 남기기").
func (e *Engine) leaveTyped(n string) bool {
	return n != "" && (n == e.norm.leave || leaveWords[n])
}

// isLeaveReason reports whether r is the reason a bot-state reply offered
// 메시지 남기기 for (the reason its tap carries).
func isLeaveReason(r string) bool {
	return r == ReasonWaitTimeoutTicket || r == ReasonComplaintTicket || r == ReasonKeywordTicket || r == ReasonFAQTicket
}

// offerLeave notes that this turn's reply offers 메시지 남기기 in bot state
// for reason: finish keeps it in the conversation (Intake.Reason with no
// Step, as the confirm question keeps its reason) for one turn, so that
// the words typed next do what the tap does (takeLeaveOffer).
func (t *turn) offerLeave(reason string) {
	t.leaveOffer = reason
}

// keepLeaveOffer stores the offer of this turn's reply, if any, once the
// turn ends in bot state with no intake.
func (t *turn) keepLeaveOffer() {
	if t.leaveOffer != "" && t.conv.State == StateBot && t.conv.Intake == (Intake{}) {
		t.conv.Intake = Intake{Reason: t.leaveOffer}
	}
}

// takeLeaveOffer returns the reason of the 메시지 남기기 the previous reply
// offered in bot state, "" when it offered none. Called by prepare before
// it drops the intake: the offer lasts one turn, and not past
// session_idle (the quick reply is long gone by then).
func (t *turn) takeLeaveOffer(idle bool) string {
	in := t.conv.Intake
	if idle || t.conv.State != StateBot || in.Step != "" || !isLeaveReason(in.Reason) {
		return ""
	}
	return in.Reason
}

// typedLeave answers the words of 메시지 남기기 typed in bot state right
// after a reply that offered it, as the tap does (eventTap). It reports
// whether it did.
func (t *turn) typedLeave() bool {
	if t.leaveOffered == "" || t.conv.State != StateBot || t.asBot || !t.e.leaveTyped(t.normUtterance()) {
		return false
	}
	return t.leaveFromBot(t.leaveOffered)
}

// leaveFromBot takes a user in bot state to the after-hours ticket path
// for reason: into after_hours on escalation.queue with the intake open,
// whose next text becomes the ticket (ticket_left then returns to bot).
func (t *turn) leaveFromBot(reason string) bool {
	if !t.fire(rowEscalateClosed, reason) {
		return false
	}
	t.conv.Queue = t.e.cfg.Escalation.Queue
	t.startIntake()
	return true
}
