package fsm

// A user leaves a message (a ticket, reason user_message) from several
// places, and the agent who calls back reads where (TicketOpen.Origin,
// kept as tickets.origin): the reason the conversation went to
// after_hours is held in Intake.Reason while it stays there (escalate,
// busy, leaveFromBot), through the ticket intake's steps, and named by
// ticketOrigin when the ticket is left.

// Ticket origins (TicketOpen.Origin; stable: the admin API's and the
// webhook's "origin", docs/notify-webhook.md §1.2).
const (
	// TicketOriginFAQ: from an FAQ (or 지식+) answer given out of hours
	// (ReasonFAQTicket).
	TicketOriginFAQ = "faq"
	// TicketOriginNoMatch: from the reply to a question the bot did not
	// understand (ReasonNoMatchTicket).
	TicketOriginNoMatch = "no_match"
	// TicketOriginMenu: from a menu, the welcome, a greeting or another
	// bot reply (ReasonMenuTicket).
	TicketOriginMenu = "menu"
	// TicketOriginComplaint: from the reply to a complaint
	// (ReasonComplaintTicket).
	TicketOriginComplaint = "complaint"
	// TicketOriginKeyword: from the FAQ answer to a question that named a
	// human ("상담원 운영 시간이 언제예요?", ReasonKeywordTicket).
	TicketOriginKeyword = "keyword"
	// TicketOriginWaitTimeout: from the apology of a wait that timed out
	// (ReasonWaitTimeoutTicket), on the queue waited for.
	TicketOriginWaitTimeout = "wait_timeout"
	// TicketOriginMaxWaiting: the queue asked for was full (ReasonMaxWaiting).
	TicketOriginMaxWaiting = "max_waiting"
	// TicketOriginAfterHours: the user asked for a human (a keyword, a
	// menu option, the misses, a mapped block, the confirm question) while
	// the queue was closed.
	TicketOriginAfterHours = "after_hours"
)

// ticketOrigin names the origin of a ticket left in a stay in after_hours
// entered for reason (the transition's, held in Intake.Reason): "" when
// none was held (an intake begun before origins were kept).
func ticketOrigin(reason string) string {
	switch reason {
	case "":
		return ""
	case ReasonFAQTicket:
		return TicketOriginFAQ
	case ReasonNoMatchTicket:
		return TicketOriginNoMatch
	case ReasonMenuTicket:
		return TicketOriginMenu
	case ReasonComplaintTicket:
		return TicketOriginComplaint
	case ReasonKeywordTicket:
		return TicketOriginKeyword
	case ReasonWaitTimeoutTicket:
		return TicketOriginWaitTimeout
	case ReasonMaxWaiting:
		return TicketOriginMaxWaiting
	}
	return TicketOriginAfterHours // an escalation's reason: keyword, menu, faq_misses, mapped, ...
}
