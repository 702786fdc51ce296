package main

import (
	"context"
	"fmt"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/internal/admin"
	"github.com/baton-chat/baton/store"
)

// AnswerDelivery implements admin.AnswerDelivery: whether the Event API
// deliverer will send t's answer, judged as it would judge the pending
// ticket_reply notification (event_api is read only at start-up, so the
// Event API in force is the one serve started with). A user who is not a
// friend now may still add the channel before the deliverer runs; the verdict
// is for the moment of the answer.
func (t ticketsAdmin) AnswerDelivery(ctx context.Context, tk store.Ticket) (delivery, reason string, err error) {
	not := func(r string) (string, string, error) { return admin.DeliveryNotDeliverable, r, nil }
	if r := ticketReplyOff(t.events); r != "" {
		return not(r)
	}
	switch {
	case tk.UserKey == "":
		return not("no_user")
	case tk.Test:
		return not("test")
	}
	u, _, found, err := t.db.Load(ctx, tk.UserKey)
	if err != nil {
		return "", "", fmt.Errorf("baton: answer delivery: load the ticket's user: %w", err)
	}
	switch {
	case !found:
		return not("no_user")
	case u.Test:
		return not("test")
	case !u.IsFriend:
		return not("not_friend")
	case u.BotID == "":
		return not("no_bot")
	}
	return admin.DeliveryQueued, "", nil
}

// ticketReplyOff reports why no agent's answer to a ticket can reach any
// user in the chat with the Event API ev (the one serve started with):
// "event_api_disabled", "no_event" (no ticket_reply event) or "no_budget"
// (daily_budget_won 0); "" when ticket_reply messages can be sent. The
// admin answer's delivery verdict and the engine's choice of texts
// (fsm.Options.NoTicketReply) both follow it.
func ticketReplyOff(ev configs.EventAPI) string {
	switch {
	case !ev.EventAPIEnabled():
		return "event_api_disabled"
	case !ev.Sends(store.NotifyTicketReply):
		return "no_event"
	case ev.DailyBudgetWon == 0:
		return "no_budget"
	}
	return ""
}
