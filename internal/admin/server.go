package admin

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/store"
	"github.com/labstack/echo/v5"
)

// ErrNotFound is what Tickets and Hours implementations wrap when the ticket
// (or queue) does not exist; the API answers 404. store.ErrConflict (an
// invalid ticket transition) answers 409.
var ErrNotFound = errors.New("admin: not found")

// Tickets is the ticket workflow the admin API drives (open → assigned →
// answered → closed). Methods return an error wrapping ErrNotFound for an
// unknown id and store.ErrConflict for a transition the ticket's status does
// not allow.
type Tickets interface {
	// TicketByID returns one ticket; ok is false when there is none.
	TicketByID(ctx context.Context, id string) (t store.Ticket, ok bool, err error)
	// ListTickets returns the tickets f selects (store.DB.ListTickets:
	// status, queue and code when set, codes upper case and not unique; at
	// most f.Limit, oldest first unless f.Desc, after the position f.After).
	ListTickets(ctx context.Context, f store.TicketFilter) ([]store.Ticket, error)
	// AssignTicket gives the ticket to assignee.
	AssignTicket(ctx context.Context, id, assignee string, at time.Time) error
	// AnswerTicket records the answer (delivered to the user by the
	// ticket_reply Event API block). An answer that does not fit that
	// block's message is refused with *AnswerTooLongError.
	AnswerTicket(ctx context.Context, id, answer string, at time.Time) error
	// CloseTicket closes the ticket.
	CloseTicket(ctx context.Context, id string, at time.Time) error
}

// HoursOverride is an operator's override of a queue's opening hours.
type HoursOverride struct {
	Queue string           `json:"queue"` // a queue name or "*" for every queue
	Mode  handoff.Override `json:"mode"`
	Until time.Time        `json:"until,omitzero"` // zero: until cleared
	By    string           `json:"by,omitempty"`
}

// Hours sets and clears hours overrides (BATON_HOURS_OVERRIDE from the API).
// Methods return the store's errors, wrapped.
type Hours interface {
	// SetOverride forces queue ("*" = all) open or closed until until
	// (zero: until cleared).
	SetOverride(ctx context.Context, queue string, mode handoff.Override, until time.Time, by string) error
	// ClearOverride removes queue's override.
	ClearOverride(ctx context.Context, queue string) error
	// Overrides lists the overrides in force.
	Overrides(ctx context.Context) ([]HoursOverride, error)
}

// Reloader re-reads, validates and applies the config file. It returns a
// *InvalidConfigError when the file does not load, a *QueueInUseError when
// the new config would drop a queue with open handoffs, or another error
// when the reload could not be applied. With or without an error it returns
// the attempt as the reload history recorded it (zero when it was not
// recorded): POST /admin/reload answers with that row, not with whatever
// reload the history shows last.
type Reloader interface {
	Reload(ctx context.Context, by string) (store.Reload, error)
}

// Purger removes an erased user's messages (pending timer schedules) from
// JetStream; *handoff.Purger is the implementation.
type Purger interface {
	Purge(ctx context.Context, e store.Erasure) error
}

// UserLock runs fn while no turn of userKey runs; *skill.Server.WithUser.
type UserLock interface {
	WithUser(userKey string, fn func() error) error
}

// Options are the settings of New. Nil interfaces turn their routes into 501
// (Tickets, Hours, Reloader, Contacts, Lifecycle, Links) or skip the step
// (Purger, Users).
type Options struct {
	// BootstrapToken is BATON_ADMIN_TOKEN: a master that is not stored.
	// Empty: only stored tokens authenticate.
	BootstrapToken string
	// SubjectKey keys the HMAC that stands for a user key in the access
	// log. Empty: a random key per process (subjects then do not match
	// across restarts).
	SubjectKey []byte
	Tickets    Tickets
	Hours      Hours
	// EnvHoursOverride is BATON_HOURS_OVERRIDE as serve read it ("open",
	// "closed" or ""): it forces every queue below the admin overrides, so
	// GET /admin/hours/override shows it as env_override beside them.
	EnvHoursOverride handoff.Override
	Reloader         Reloader
	Purger           Purger
	Users            UserLock
	// Contacts opens the phone numbers users leave with tickets, for
	// GET /admin/tickets/:id/contact (masters only; needs Tickets too), and
	// the intake answers of handoffs, for GET /admin/handoffs/:id/intake.
	Contacts *store.ContactBox
	// ContactsRetention returns retention.contacts in force (how long
	// contacts and intake answers are kept; 0: forever), so GET
	// /admin/handoffs/:id/intake can tell answers deleted by retention from
	// none given. Nil: it cannot tell.
	ContactsRetention func() time.Duration
	// Lifecycle steps a handoff's accepted/ended events for POST
	// /admin/handoffs/:id/accept and /end, the path the signed links take
	// (*skill.Server).
	Lifecycle handoff.Applier
	// Links mints the accept/end links POST /admin/handoffs/:id/links
	// re-issues (the links the notify sinks carry).
	Links *handoff.Links
	// Queues returns the queues of the config in force, sorted (a reload
	// may change them). With it, ?queue= naming none of them on a list
	// that finds nothing is 400 (a typo would look like an empty queue);
	// a queue a reload dropped still lists its stored handoffs and
	// tickets. Nil: any name lists what it matches.
	Queues func() []string
	// TranscriptTurns is how many recent turns a conversation read returns
	// (default 50).
	TranscriptTurns int
	// OnOutbox, when set, is called after a request committed outbox rows
	// of its own (a ticket assigned, answered or closed; an erasure that
	// owes a dealer cancels), so the outbox relay publishes them at once
	// instead of on its sweep; it must not block. Handoff accept and end
	// commit through Lifecycle, which tells the relay itself.
	OnOutbox func()
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Server is the admin API. Register mounts it on an Echo.
type Server struct {
	db   *store.DB
	log  *slog.Logger
	opts Options
	// bootstrap is the SHA-256 of BootstrapToken (nil when unset), so the
	// comparison is constant-time whatever the presented length.
	bootstrap []byte
}

// New returns the admin API over db.
func New(db *store.DB, logger *slog.Logger, opts Options) *Server {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.TranscriptTurns <= 0 {
		opts.TranscriptTurns = 50
	}
	s := &Server{db: db, log: logger.With("component", "admin"), opts: opts}
	if len(s.opts.SubjectKey) == 0 {
		s.opts.SubjectKey = make([]byte, 32)
		_, _ = rand.Read(s.opts.SubjectKey)
		s.log.Warn("admin: no subject key; access log subjects will not match across restarts")
	}
	// A presented token is read trimmed (bearer), so the bootstrap one is
	// kept trimmed: an env file's stray space or newline must not make the
	// master token unusable.
	if tok := strings.TrimSpace(opts.BootstrapToken); tok != "" {
		h := sha256.Sum256([]byte(tok))
		s.bootstrap = h[:]
	}
	return s
}

// Subject is the access-log stand-in for userKey: hex HMAC-SHA256 under the
// subject key. It lets an auditor find every read of one user's transcript
// (given the key) while the log itself holds nothing of the user.
func (s *Server) Subject(userKey string) string {
	m := hmac.New(sha256.New, s.opts.SubjectKey)
	m.Write([]byte(userKey))
	return hex.EncodeToString(m.Sum(nil))
}

// Principal is the authenticated caller of an admin request.
type Principal struct {
	ID   string `json:"id"` // token id; "bootstrap" for BATON_ADMIN_TOKEN
	Name string `json:"name"`
	Role string `json:"role"`
}

// BootstrapID is the Principal.ID of BATON_ADMIN_TOKEN.
const BootstrapID = "bootstrap"

const principalKey = "admin.principal"

// touchEvery bounds how often a token's last_used_at is written.
const touchEvery = time.Minute

// HashToken returns the stored form of an admin token: hex SHA-256.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// Prefix is the path under which every request needs an admin token: the
// admin API's routes, and also paths and methods it does not serve.
const Prefix = "/admin"

// underPrefix reports whether r's path is Prefix or below it, as decoded
// (URL.Path) or as sent (URL.RawPath, which the router matches when set).
func underPrefix(r *http.Request) bool {
	in := func(p string) bool { return p == Prefix || strings.HasPrefix(p, Prefix+"/") }
	return in(r.URL.Path) || in(r.URL.RawPath)
}

// gate is the Echo-level middleware Register installs: a request under
// Prefix is authenticated before its handler runs, whatever the router
// found for it — a route, no route (404) or a route without that method
// (405, or the OPTIONS answer listing the methods). An unauthenticated
// caller thus gets 401 for every path and method there and learns nothing
// of which routes exist; requests outside Prefix pass untouched.
func (s *Server) gate(next echo.HandlerFunc) echo.HandlerFunc {
	auth := s.authenticate(checkQuery(next))
	return func(c *echo.Context) error {
		if underPrefix(c.Request()) {
			return auth(c)
		}
		return next(c)
	}
}

// checkQuery answers 400 to an authenticated request for an admin route
// whose query string does not parse (a bad %-escape, a ';'): echo reads
// queries as url.Values do, dropping the pairs it cannot read, so a mangled
// ?cursor= would list from the first page and a mangled ?queue= every
// queue, as if the parameter had not been given. Unknown routes and methods
// keep their 404 and 405.
func checkQuery(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		if _, err := url.ParseQuery(c.Request().URL.RawQuery); err != nil {
			switch c.RouteInfo().Name {
			case echo.NotFoundRouteName, echo.MethodNotAllowedRouteName:
			default:
				return errorJSON(c, http.StatusBadRequest, "the query string does not parse: "+err.Error())
			}
		}
		return next(c)
	}
}

// authenticate lets a request through with a Bearer token that is the
// bootstrap master or a stored, unrevoked token, else answers 401.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		token, ok := bearer(c.Request())
		if !ok {
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="baton-admin"`)
			return errorJSON(c, http.StatusUnauthorized, "missing admin token (Authorization: Bearer <token>)")
		}
		p, ok, err := s.principal(c.Request().Context(), token)
		if err != nil {
			return s.internal(c, "authenticate", err)
		}
		if !ok {
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="baton-admin", error="invalid_token"`)
			return errorJSON(c, http.StatusUnauthorized, "invalid admin token")
		}
		c.Set(principalKey, p)
		return next(c)
	}
}

// principal resolves a presented token.
func (s *Server) principal(ctx context.Context, token string) (Principal, bool, error) {
	if s.bootstrap != nil {
		h := sha256.Sum256([]byte(token))
		if subtle.ConstantTimeCompare(h[:], s.bootstrap) == 1 {
			return Principal{ID: BootstrapID, Name: "BATON_ADMIN_TOKEN", Role: store.RoleMaster}, true, nil
		}
	}
	t, ok, err := s.db.AdminTokenByHash(ctx, HashToken(token))
	if err != nil || !ok || !t.RevokedAt.IsZero() {
		return Principal{}, false, err
	}
	if now := s.opts.Now(); now.Sub(t.LastUsedAt) >= touchEvery {
		if err := s.db.TouchAdminToken(ctx, t.ID, now); err != nil {
			return Principal{}, false, err
		}
	}
	return Principal{ID: t.ID, Name: t.Name, Role: t.Role}, true, nil
}

// bearer extracts the token of an "Authorization: Bearer" header.
func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	const prefix = "bearer "
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return "", false
	}
	t := strings.TrimSpace(h[len(prefix):])
	return t, t != ""
}

// masterOnly answers 403 unless the caller is a master.
func masterOnly(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		if who(c).Role != store.RoleMaster {
			return errorJSON(c, http.StatusForbidden, "this action needs the master role")
		}
		return next(c)
	}
}

// who is the request's principal (set by authenticate).
func who(c *echo.Context) Principal {
	p, _ := c.Get(principalKey).(Principal)
	return p
}

// errorJSON answers {"error": msg} with code.
func errorJSON(c *echo.Context, code int, msg string) error {
	return c.JSON(code, map[string]string{"error": msg})
}

// outboxCommitted wakes the outbox relay (Options.OnOutbox) after a commit
// that wrote outbox rows.
func (s *Server) outboxCommitted() {
	if s.opts.OnOutbox != nil {
		s.opts.OnOutbox()
	}
}

// internal logs err (which never carries user keys: store and engine
// errors name no user) and answers 500.
func (s *Server) internal(c *echo.Context, op string, err error) error {
	s.log.Error("admin: request failed", "op", op, "path", c.Path(), "err", err)
	return errorJSON(c, http.StatusInternalServerError, op+" failed")
}

// Register mounts the admin routes under Prefix on e and returns their
// group. It also adds to e (e.Use) the middleware that authenticates every
// request under Prefix, before the router's 404 and 405 answers too: more
// routes (the unanswered-questions report) can be added to the group, and
// are authenticated, with masterOnly-style checks of their own.
func (s *Server) Register(e *echo.Echo) *echo.Group {
	e.Use(s.gate)
	g := e.Group(Prefix)
	g.GET("/whoami", func(c *echo.Context) error { return c.JSON(http.StatusOK, who(c)) }, noBody)

	g.GET("/tokens", s.listTokens, masterOnly, noBody)
	g.POST("/tokens", s.createToken, masterOnly)
	g.DELETE("/tokens/:id", s.revokeToken, masterOnly, noBody)

	g.GET("/handoffs", s.listHandoffs, noBody)
	g.GET("/handoffs/:id", s.getHandoff, noBody)
	g.POST("/handoffs/:id/accept", s.acceptHandoff, noBody)
	g.POST("/handoffs/:id/end", s.endHandoff, noBody)
	g.POST("/handoffs/:id/links", s.issueLinks, noBody)
	g.GET("/handoffs/:id/intake", s.getHandoffIntake, noBody)

	g.GET("/tickets", s.listTickets, noBody)
	g.GET("/tickets/:id", s.getTicket, noBody)
	g.POST("/tickets/:id/assign", s.assignTicket)
	g.POST("/tickets/:id/answer", s.answerTicket)
	g.POST("/tickets/:id/close", s.closeTicket, noBody)
	g.GET("/tickets/:id/contact", s.getTicketContact, masterOnly, noBody)

	g.GET("/conversations/:key", s.getConversation, noBody)
	g.GET("/access-log", s.accessLog, masterOnly, noBody)
	g.DELETE("/users/:key", s.eraseUser, masterOnly, noBody)

	g.GET("/hours/override", s.listOverrides, noBody)
	g.POST("/hours/override", s.setOverride)
	g.DELETE("/hours/override", s.clearOverride, noBody)

	g.POST("/reload", s.reload, masterOnly, noBody)
	g.GET("/reloads", s.reloads, noBody)
	return g
}

// MasterOnly is middleware answering 403 unless the caller is a master, for
// routes added to Register's group.
func MasterOnly(next echo.HandlerFunc) echo.HandlerFunc { return masterOnly(next) }

// NoBody is middleware for a route added to Register's group that takes no
// body: it answers 400 to a body other than nothing, white space or {} (a
// caller's {"reason": ...} would otherwise look recorded), 413 to one over
// 64 KB.
func NoBody(next echo.HandlerFunc) echo.HandlerFunc { return noBody(next) }

// Caller returns the authenticated principal of a request on Register's group.
func Caller(c *echo.Context) Principal { return who(c) }

// AnswerTooLongError refuses a ticket answer that would reach the user cut
// short: with the config's texts.event_ticket_reply around it, it does not
// fit the text bubbles of the ticket_reply message (a long text is split
// over the bubbles where a space or line break falls, so how much fits
// depends on the text, not only on its length). The admin API answers it
// with 422.
type AnswerTooLongError struct {
	Runes   int // the answer's length in characters, blank ends trimmed
	Fit     int // how many of its leading characters would reach the user whole
	Bubbles int // the text bubbles the message has for it
}

// Error says how long the answer is, how much of it fits and why the limit
// is not one number.
func (e *AnswerTooLongError) Error() string {
	return fmt.Sprintf("answer is %d characters and would reach the user cut short: only its first %d fit. "+
		"The user's KakaoTalk message has %d text bubbles of at most 1000 characters for texts.event_ticket_reply with the answer, "+
		"split where a space or line break falls, so the limit depends on the text (at most %d characters, the template included): shorten it or send the rest in a follow-up",
		e.Runes, e.Fit, e.Bubbles, e.Bubbles*1000)
}
