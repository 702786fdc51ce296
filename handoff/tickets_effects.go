package handoff

import (
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// Ticket events carried on SubjectTicket.
const (
	TicketCreated = "created"
)

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
		Code: tk.Code, Message: tk.Message, Test: tk.Test, CreatedAt: now}
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
	w.Outbox = append(w.Outbox, store.OutboxMsg{
		ID: store.NewID(now), Subject: SubjectTicket(tk.ID, TicketCreated), Payload: []byte(tk.ID), CreatedAt: now,
	})
}
