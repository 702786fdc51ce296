package handoff

import (
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// Ticket events carried on SubjectTicket (stable; docs/nats.md). The payload
// is the ticket id.
const (
	// TicketCreated: a ticket for the agents (the router announces it to
	// the notify sinks): a user's message, or a ticket opened for a
	// handoff no agent heard of (docs/notify-webhook.md §1.2).
	TicketCreated = "created"
	// TicketAssigned: an admin took (or reassigned) the ticket.
	TicketAssigned = "assigned"
	// TicketAnswered: an admin answered it (the answer goes to the user
	// through the Event API).
	TicketAnswered = "answered"
	// TicketClosed: an admin closed it.
	TicketClosed = "closed"
	// TicketOpened: the router opened a ticket itself (store.OpenTicket:
	// dealer_failed, router_poison, no_sink); its reason and detail are
	// in the ticket. Distinct from TicketCreated, which the router consumes
	// to tell the notify sinks about a user's ticket.
	TicketOpened = "opened"
)

// TicketEventMsg returns the outbox message announcing that ticket id moved
// to status (store.TicketStatusAssigned, ...Answered, ...Closed) at at, or
// that the router opened it (store.TicketStatusOpen: TicketOpened); it is
// the store's Options.TicketEvent.
func TicketEventMsg(id, status string, at time.Time) store.OutboxMsg {
	event := map[string]string{
		store.TicketStatusOpen:     TicketOpened,
		store.TicketStatusAssigned: TicketAssigned,
		store.TicketStatusAnswered: TicketAnswered,
		store.TicketStatusClosed:   TicketClosed,
	}[status]
	if event == "" {
		event = status
	}
	return store.OutboxMsg{ID: store.NewID(at), Subject: SubjectTicket(id, event), Payload: []byte(id), CreatedAt: at}
}

// SubjectTicket is where event of ticket id is announced (stable:
// baton.ticket.<id>.<event>); the payload is the ticket id.
func SubjectTicket(id, event string) string { return "baton.ticket." + id + "." + event }

// addTickets records the ticket (and its encrypted contact) o asks for, and
// the outbox message that has the router tell the notify sinks.
func (e Effects) addTickets(o *fsm.Outcome, w *store.TurnWrite, now time.Time) {
	tk := o.Ticket
	if tk == nil || tk.ID == "" {
		return
	}
	t := &store.Ticket{ID: tk.ID, UserKey: w.User.Key, Queue: tk.Queue, Reason: store.TicketReasonUserMessage,
		Code: tk.Code, Message: tk.Message, Test: tk.Test, CreatedAt: now, ContactPref: tk.ContactPref, Origin: tk.Origin}
	if tk.Contact != "" && e.Contacts != nil {
		id := store.NewID(now)
		// Sealing fails only when the system's randomness does; the
		// ticket is still worth keeping without the number.
		if op, err := e.Contacts.AddContactOp(id, w.User.Key, tk.Contact, now); err == nil {
			w.Ops = append(w.Ops, op)
			t.ContactID = id
		}
	}
	w.Ops = append(w.Ops, store.OpenTicketOp(t))
	w.Outbox = append(w.Outbox, ticketCreatedMsg(tk.ID, now))
}
