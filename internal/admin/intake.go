package admin

import (
	"net/http"

	"github.com/baton-chat/baton/store"
	"github.com/labstack/echo/v5"
)

// intakeAnswer is one intake answer in GET /admin/handoffs/:id/intake.
type intakeAnswer struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	PII   bool   `json:"pii"`
}

// intakeView is the answer of GET /admin/handoffs/:id/intake.
type intakeView struct {
	HandoffID string `json:"handoff_id"`
	// Intake holds the answers the caller may read, in the order the user
	// gave them.
	Intake []intakeAnswer `json:"intake"`
	// Withheld names the answered fields marked pii that the caller's role
	// may not read (a manager's), in the order given.
	Withheld []string `json:"withheld"`
	// Expired: nothing is stored and the handoff is older than
	// retention.contacts, so any answers it had were deleted.
	Expired bool `json:"expired,omitempty"`
}

// getHandoffIntake decrypts the intake answers of a handoff (the order
// number ... the user gave before it opened). Anyone who can see the
// handoff reads the fields not marked pii; the fields marked pii only a
// master reads, a manager gets their names in "withheld". A read that opens
// anything is written to the access log (who, which handoff, the user's
// subject hash) before anything is decrypted; neither that log nor the log
// line holds a value. 404 for an unknown handoff, 501 without a contact
// box, 500 when a field the caller may read does not open with the contact
// key.
func (s *Server) getHandoffIntake(c *echo.Context) error {
	if s.opts.Contacts == nil {
		return errorJSON(c, http.StatusNotImplemented, "handoff intake answers are not available")
	}
	ctx := c.Request().Context()
	id := param(c, "id")
	h, ok, err := s.db.Handoff(ctx, id)
	if err != nil {
		return s.internal(c, "read handoff", err)
	}
	if !ok {
		return errorJSON(c, http.StatusNotFound, "no such handoff")
	}
	fields, err := s.db.HandoffIntakeFields(ctx, id)
	if err != nil {
		return s.internal(c, "read intake", err)
	}
	p := who(c)
	master := p.Role == store.RoleMaster
	out := intakeView{HandoffID: id, Intake: []intakeAnswer{}, Withheld: []string{}}
	readable, pii := 0, false
	for _, f := range fields {
		switch {
		case f.PII && !master:
			out.Withheld = append(out.Withheld, f.Name)
		default:
			readable++
			pii = pii || f.PII
		}
	}
	if len(fields) == 0 {
		out.Expired = s.intakeExpired(h)
	}
	if readable > 0 {
		entry := store.AccessEntry{At: s.opts.Now(), TokenID: p.ID, Role: p.Role, Action: store.AccessReadIntake,
			HandoffID: id}
		if h.UserKey != "" {
			entry.Subject = s.Subject(h.UserKey)
		}
		if err := s.db.LogAccess(ctx, entry); err != nil {
			return s.internal(c, "log access", err)
		}
		read := s.db.HandoffIntakePublic
		if master {
			read = s.db.HandoffIntake
		}
		vals, err := read(ctx, s.opts.Contacts, id)
		if err != nil {
			// An answer that does not open (store.ErrUnreadable): another
			// contact key than the one it was sealed with.
			return s.internal(c, "read intake", err)
		}
		for _, v := range vals {
			out.Intake = append(out.Intake, intakeAnswer{Name: v.Name, Value: v.Value, PII: v.PII})
		}
	}
	s.log.Info("admin: handoff intake read", "handoff", id, "by", p.ID, "fields", len(out.Intake),
		"pii", pii, "withheld", len(out.Withheld))
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, out)
}

// intakeExpired reports whether h is older than retention.contacts, so
// that any intake answers it had were deleted (answers are given before
// their handoff opens).
func (s *Server) intakeExpired(h store.Handoff) bool {
	if s.opts.ContactsRetention == nil {
		return false
	}
	keep := s.opts.ContactsRetention()
	return keep > 0 && h.CreatedAt.Before(s.opts.Now().Add(-keep))
}
