package fsm

// keepPromises makes the texts true when no agent's answer to a ticket can
// reach the user in the chat (Options.NoTicketReply: the Event API is off,
// has no ticket_reply event, or a daily budget of 0). The defaults of
// after_hours_unknown, busy, ticket_prompt and event_wait_timeout say "확인
// 후 답변드릴게요" (waiting_dealer_failure "확인 후 연락드릴게요"), an answer
// the user would never see; their _no_reply variants only say the message
// goes to the agents. ticket_created is chosen per ticket (ticketCreated).
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
	tx.WaitingDealerFailure = tx.WaitingDealerFailureNoReply
}

// ticketCreated is the text that confirms a ticket: texts.ticket_created
// when the agent's answer will come back in the chat; otherwise
// ticket_created_contact when the user left a number to be called back on,
// else ticket_created_no_reply, which says that no answer comes in the chat.
func (e *Engine) ticketCreated(contact string) string {
	switch {
	case !e.noReply:
		return e.texts.TicketCreated
	case contact != "":
		return e.texts.TicketCreatedContact
	default:
		return e.texts.TicketCreatedNoReply
	}
}
