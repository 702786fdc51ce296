package admin

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/baton-chat/baton/handoff"
	"github.com/labstack/echo/v5"
)

// queryCode reads ?code=: a handoff or ticket code as a user or agent typed
// it. Codes are minted upper case, so the query is upper-cased.
func queryCode(c *echo.Context) string {
	return strings.ToUpper(strings.TrimSpace(c.QueryParam("code")))
}

// acceptHandoff serves POST /admin/handoffs/:id/accept: what following the
// handoff's accept link does (waiting → human), for an agent whose link was
// lost or expired.
func (s *Server) acceptHandoff(c *echo.Context) error {
	return s.handoffAction(c, handoff.LinkAccept)
}

// endHandoff serves POST /admin/handoffs/:id/end: what following the end
// link does (human, or waiting, → bot).
func (s *Server) endHandoff(c *echo.Context) error {
	return s.handoffAction(c, handoff.LinkEnd)
}

// handoffAction applies action through handoff.ApplyAction, the links' own
// path, with reason handoff.AdminReason. Answers: 200 with the handoff as
// GET /admin/handoffs/:id shows it after the change; 409 with the same body
// plus "error" when nothing changed (the handoff has ended, an accept found
// it accepted, or the conversation has moved on); 404 for an unknown id.
func (s *Server) handoffAction(c *echo.Context, action string) error {
	if s.opts.Lifecycle == nil {
		return errorJSON(c, http.StatusNotImplemented, "handoff actions are not available")
	}
	ctx := c.Request().Context()
	id := param(c, "id")
	h, changed, err := handoff.ApplyAction(ctx, s.db, s.opts.Lifecycle, id, action, handoff.AdminReason)
	switch {
	case errors.Is(err, handoff.ErrUnknownHandoff):
		return errorJSON(c, http.StatusNotFound, "no such handoff")
	case err != nil:
		return s.internal(c, action+" handoff", err)
	}
	out, ok, err := s.handoffDetail(ctx, id)
	if err != nil {
		return s.internal(c, "read handoff", err)
	}
	if !ok { // erased meanwhile
		return errorJSON(c, http.StatusNotFound, "no such handoff")
	}
	if !changed {
		state := out["handoff"].(handoffView).State
		out["error"] = fmt.Sprintf("%s changes nothing: the handoff is %s", action, state)
		return c.JSON(http.StatusConflict, out)
	}
	// An external handoff's event was queued in the store directly, not
	// through the lifecycle, which wakes the relay itself.
	s.outboxCommitted()
	s.log.Info("admin: handoff "+action, "handoff", id, "code", h.Code, "by", who(c).ID)
	return c.JSON(http.StatusOK, out)
}

// issueLinks serves POST /admin/handoffs/:id/links: a fresh signed accept
// and end link for a handoff that has not ended (the ones its notification
// carried may be lost or past their 7 days). 409 for an ended handoff, 404
// for an unknown one. The links are bearer secrets: the answer is not
// cached and the log names only the handoff.
func (s *Server) issueLinks(c *echo.Context) error {
	if s.opts.Links == nil {
		return errorJSON(c, http.StatusNotImplemented, "accept/end links are not available")
	}
	id := param(c, "id")
	h, ok, err := s.db.Handoff(c.Request().Context(), id)
	if err != nil {
		return s.internal(c, "read handoff", err)
	}
	if !ok {
		return errorJSON(c, http.StatusNotFound, "no such handoff")
	}
	if !h.EndedAt.IsZero() {
		return c.JSON(http.StatusConflict, map[string]any{"error": "the handoff has ended: its links would change nothing",
			"handoff": viewHandoff(h)})
	}
	accept, end, exp := s.opts.Links.Issue(h.ID)
	s.log.Info("admin: handoff links issued", "handoff", id, "code", h.Code, "by", who(c).ID)
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, map[string]any{"handoff_id": h.ID, "code": h.Code, "accept": accept, "end": end,
		"expires_at": ts(exp)})
}
