package admin

import (
	"github.com/labstack/echo/v5"

	"github.com/baton-chat/baton/store"
)

// logTicketReads writes one read_ticket row per user ticket in ts (a ticket
// with a user key carries the user's message) before the caller answers
// them, as getTicket does for one ticket: a list or an action's answer is a
// read of every user ticket it shows. Tickets without a user (dealer_failed
// without a key, router_poison) are not logged. It returns the store's
// error; the caller then answers 500 and shows nothing.
func (s *Server) logTicketReads(c *echo.Context, ts []store.Ticket) error {
	return s.db.LogAccesses(c.Request().Context(), s.ticketReadEntries(c, ts))
}

// ticketReadEntries returns the read_ticket rows for the user tickets in ts.
func (s *Server) ticketReadEntries(c *echo.Context, ts []store.Ticket) []store.AccessEntry {
	p := who(c)
	now := s.opts.Now()
	var es []store.AccessEntry
	for _, t := range ts {
		if t.UserKey == "" {
			continue
		}
		es = append(es, store.AccessEntry{At: now, TokenID: p.ID, Role: p.Role,
			Action: store.AccessReadTicket, Subject: s.Subject(t.UserKey), TicketID: t.ID})
	}
	return es
}
