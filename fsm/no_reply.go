package fsm

import "time"

// keepPromises makes the texts true when no agent's answer to a ticket can
// reach the user in the chat (Options.NoTicketReply: the Event API is off,
// has no ticket_reply event, or a daily budget of 0). The defaults of
// after_hours_unknown, busy, ticket_prompt, event_wait_timeout and
// complaint_after_hours say "확인 후 답변드릴게요" (waiting_dealer_failure
// "확인 후 연락드릴게요"), an answer the user would never see; their
// _no_reply variants only say the message goes to the agents.
// ticket_created is chosen per ticket (ticketCreated).
// The swap is done once, at New, so a static reply cached per config
// version never mixes the two.
func (e *Engine) keepPromises(noReply bool) {
	e.noReply = noReply
	if !noReply {
		return
	}
	tx := &e.texts
	tx.AfterHoursUnknown = tx.AfterHoursUnknownNoReply
	tx.Busy = tx.BusyNoReply
	tx.TicketPrompt = tx.TicketPromptNoReply
	tx.EventWaitTimeout = tx.EventWaitTimeoutNoReply
	tx.ComplaintAfterHours = tx.ComplaintAfterHoursNoReply
	tx.WaitingDealerFailure = tx.WaitingDealerFailureNoReply
}

// ticketCreated is the text that confirms a ticket left in queue at now:
// texts.ticket_created when the agent's answer will come back in the chat;
// otherwise ticket_created_contact when the user left a number to be called
// back on, else one that says that no answer comes in the chat:
// ticket_created_no_reply_busy while the queue is open (the ticket was left
// because the queue was full or the wait ran out, so "ask again later"),
// ticket_created_no_reply after hours ("ask again in office hours").
func (e *Engine) ticketCreated(contact, queue string, now time.Time) string {
	tx := e.textsFor(queue) // {hours}: the queue's
	switch {
	case !e.noReply:
		return tx.TicketCreated
	case contact != "":
		return tx.TicketCreatedContact
	case e.openAt(queue, now):
		return tx.TicketCreatedNoReplyBusy
	default:
		return tx.TicketCreatedNoReply
	}
}

// openAt reports whether queue is within its hours at now; with no Hours
// (Options.Hours nil) every queue is always open.
func (e *Engine) openAt(queue string, now time.Time) bool {
	if e.hours == nil {
		return true
	}
	open, _ := e.hours.Open(queue, now)
	return open
}
