package fsm

import "strings"

// A reply that offers 메시지 남기기 (texts.leave_message) as a quick reply
// also takes the words typed: the after-hours and busy replies (state
// after_hours), and in bot state the wait-timeout apology, and the
// complaint replies and every reply that would offer 상담원 연결 out of
// hours (leaveUnderReply), which note the offer in the conversation for
// the next turn (offerLeave). Without such an offer,
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
	switch r {
	case ReasonWaitTimeoutTicket, ReasonComplaintTicket, ReasonKeywordTicket, ReasonFAQTicket, ReasonNoMatchTicket, ReasonMenuTicket:
		return true
	}
	return false
}

// offerLeave notes that this turn's reply offers 메시지 남기기 in bot state
// for reason, the ticket going to queue ("" = escalation.queue): finish
// keeps it in the conversation for one turn (Intake.Reason with no Step,
// as the confirm question keeps its reason: the reason, then ":" and the
// queue when there is one, as the tap's option names them), so that the
// words typed next do what the tap does (takeLeaveOffer).
func (t *turn) offerLeave(reason, queue string) {
	t.leaveOffer, t.leaveOfferQueue = reason, queue
}

// keepLeaveOffer stores the offer of this turn's reply, if any, once the
// turn ends in bot state with no intake.
func (t *turn) keepLeaveOffer() {
	if t.leaveOffer != "" && t.conv.State == StateBot && t.conv.Intake == (Intake{}) {
		t.conv.Intake = Intake{Reason: strings.TrimPrefix(leaveOption(t.leaveOffer, t.leaveOfferQueue), optLeave+":")}
	}
}

// takeLeaveOffer returns the reason and the queue of the 메시지 남기기 the
// previous reply offered in bot state, "" when it offered none. Called by
// prepare before it drops the intake: the offer lasts one turn, and not
// past session_idle (the quick reply is long gone by then).
func (t *turn) takeLeaveOffer(idle bool) (reason, queue string) {
	in := t.conv.Intake
	if idle || t.conv.State != StateBot || in.Step != "" {
		return "", ""
	}
	reason, queue, _ = strings.Cut(in.Reason, ":")
	if !isLeaveReason(reason) {
		return "", ""
	}
	return reason, queue
}

// typedLeave answers the words of 메시지 남기기 typed in bot state right
// after a reply that offered it, as the tap does (eventTap). It reports
// whether it did.
func (t *turn) typedLeave() bool {
	if t.leaveOffered == "" || t.conv.State != StateBot || t.asBot || !t.e.leaveTyped(t.normUtterance()) {
		return false
	}
	return t.leaveFromBot(t.leaveOffered, t.leaveOfferedQueue)
}

// leaveFromBot takes a user in bot state to the after-hours ticket path
// for reason: into after_hours on queue (escalation.queue when queue is ""
// or one the config no longer has) with the intake open, whose next text
// becomes the ticket on that queue (ticket_left then returns to bot).
func (t *turn) leaveFromBot(reason, queue string) bool {
	if t.e.queues[queue] == nil {
		queue = t.e.cfg.Escalation.Queue
	}
	if !t.fire(rowEscalateClosed, reason) {
		return false
	}
	t.conv.Queue, t.conv.Intake = queue, Intake{Reason: reason} // the ticket's origin
	t.startIntake()
	return true
}

// leaveOption is the option of a 메시지 남기기 tap offered in bot state for
// reason, naming queue when the ticket goes to another queue than
// escalation.queue: optLeave:<reason>[:<queue>] (parseLeaveOption).
func leaveOption(reason, queue string) string {
	if queue == "" {
		return optLeave + ":" + reason
	}
	return optLeave + ":" + reason + ":" + queue
}

// parseLeaveOption reads a 메시지 남기기 tap's option (leaveOption): the
// reason, ReasonWaitTimeoutTicket for a bare optLeave (the wait-timeout
// apology's taps from before they named one) or a reason it does not know,
// and the queue, "" when it names none.
func parseLeaveOption(o string) (reason, queue string) {
	rest, ok := strings.CutPrefix(o, optLeave+":")
	if !ok {
		return ReasonWaitTimeoutTicket, ""
	}
	reason, queue, _ = strings.Cut(rest, ":")
	if !isLeaveReason(reason) {
		return ReasonWaitTimeoutTicket, ""
	}
	return reason, queue
}
