package admin

import (
	"time"

	"github.com/labstack/echo/v5"

	"github.com/baton-chat/baton/store"
)

// TicketListReadWindow is how long a read_ticket row written for a ticket
// list (GET /admin/tickets) covers later lists by the same token: a user's
// ticket that token already has a row for within this window is not logged
// again, so a console polling the list every few seconds writes one row per
// ticket an hour, not one per poll. A single ticket read and the ticket
// actions (assign, answer, close) log every time.
const TicketListReadWindow = time.Hour

// logTicketListReads writes the read_ticket rows of a ticket list (one per
// user ticket in ts not already logged for this token within
// TicketListReadWindow) before the caller answers it. It returns the
// store's error; the caller then answers 500 and shows nothing.
func (s *Server) logTicketListReads(c *echo.Context, ts []store.Ticket) error {
	_, err := s.db.LogAccessesOnce(c.Request().Context(), s.ticketReadEntries(c, ts), TicketListReadWindow)
	return err
}
