package admin

import (
	"net/http"

	"github.com/baton-chat/baton/store"
	"github.com/labstack/echo/v5"
)

// contactView is the answer of GET /admin/tickets/:id/contact.
type contactView struct {
	TicketID  string `json:"ticket_id"`
	ContactID string `json:"contact_id"`
	Contact   string `json:"contact"` // as the user left it, digits only (01012345678)
}

// getTicketContact decrypts the phone number a user left with a ticket, so a
// master can call back (masters only, see Register). The read is written to
// the access log (who, which ticket, the user's subject hash) before the
// number is decrypted, so no number is ever shown without a durable record;
// neither the log line nor the access log holds the number. 404 for an
// unknown ticket or one without a contact, 410 when retention.contacts
// already deleted the number (the ticket stays longer).
func (s *Server) getTicketContact(c *echo.Context) error {
	if s.opts.Contacts == nil {
		return errorJSON(c, http.StatusNotImplemented, "ticket contacts are not available")
	}
	t, ok, err := s.pathTicket(c)
	if !ok {
		return err
	}
	ctx := c.Request().Context()
	if t.ContactID == "" {
		return errorJSON(c, http.StatusNotFound, "the ticket has no contact")
	}
	p := who(c)
	entry := store.AccessEntry{At: s.opts.Now(), TokenID: p.ID, Role: p.Role, Action: store.AccessReadContact,
		TicketID: t.ID}
	if t.UserKey != "" {
		entry.Subject = s.Subject(t.UserKey)
	}
	if err := s.db.LogAccess(ctx, entry); err != nil {
		return s.internal(c, "log access", err)
	}
	contact, ok, err := s.db.Contact(ctx, s.opts.Contacts, t.ContactID)
	if err != nil {
		// A contact that does not open: another contact key than the one it
		// was sealed with (BATON_CONTACT_KEY / <data>/contact.key).
		return s.internal(c, "read contact", err)
	}
	if !ok {
		return errorJSON(c, http.StatusGone, "the contact was deleted by retention (retention.contacts)")
	}
	s.log.Info("admin: ticket contact read", "ticket", t.ID, "by", p.ID)
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, contactView{TicketID: t.ID, ContactID: t.ContactID, Contact: contact})
}
