package admin

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/store"
	"github.com/labstack/echo/v5"
	"github.com/oklog/ulid/v2"
)

// maxBody bounds admin request bodies.
const maxBody = 64 << 10

// errBodyTooLarge: a request body over maxBody, answered 413 as /skill's.
var errBodyTooLarge = fmt.Errorf("body too large: over %d KB", maxBody>>10)

// badBody answers a body decode refused: 413 for one over maxBody, else 400.
func badBody(c *echo.Context, err error) error {
	if errors.Is(err, errBodyTooLarge) {
		return errorJSON(c, http.StatusRequestEntityTooLarge, err.Error())
	}
	return errorJSON(c, http.StatusBadRequest, err.Error())
}

// decode reads a JSON body into v, rejecting unknown fields and anything
// after the JSON value but white space; an empty body leaves v as is.
func decode(c *echo.Context, v any) error {
	b, err := io.ReadAll(io.LimitReader(c.Request().Body, maxBody+1))
	if err != nil {
		return fmt.Errorf("read body: %w", err)
	}
	if len(b) > maxBody {
		return errBodyTooLarge
	}
	if len(b) == 0 {
		return nil
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return fmt.Errorf("invalid JSON body: %w", err)
	}
	if _, err := d.Token(); err != io.EOF {
		return errors.New("invalid JSON body: more follows the JSON object")
	}
	return nil
}

// noBody guards a route that takes no body. A body that is empty, white
// space or {} (what clients send for "nothing") passes; any other answers
// 400 naming the route and its fields (none), so a caller's
// {"reason": "spam"} is not taken as recorded; over maxBody answers 413.
func noBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		b, err := io.ReadAll(io.LimitReader(c.Request().Body, maxBody+1))
		if err != nil {
			return badBody(c, fmt.Errorf("read body: %w", err))
		}
		if len(b) > maxBody {
			return badBody(c, errBodyTooLarge)
		}
		if got, empty := bodyFields(b); !empty {
			route := c.Request().Method + " " + routeParams.ReplaceAllString(c.Path(), "{$1}")
			return errorJSON(c, http.StatusBadRequest, route+" takes no body (its fields: none); send none or {}, got "+got)
		}
		return next(c)
	}
}

// routeParams matches the :name parameters of an echo route path.
var routeParams = regexp.MustCompile(`:(\w+)`)

// bodyFields reports whether b is empty: nothing, JSON white space, or {}
// with white space around. When it is not, got says what it carries: the
// fields of a JSON object, quoted, else "a body that is not a JSON object".
func bodyFields(b []byte) (got string, empty bool) {
	if len(bytes.Trim(b, " \t\r\n")) == 0 {
		return "", true
	}
	var fields map[string]json.RawMessage
	d := json.NewDecoder(bytes.NewReader(b))
	if err := d.Decode(&fields); err != nil || fields == nil {
		return "a body that is not a JSON object", false
	}
	if _, err := d.Token(); err != io.EOF {
		return "more after the JSON object", false
	}
	if len(fields) == 0 {
		return "", true
	}
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, strconv.Quote(k))
	}
	slices.Sort(names)
	return "the fields " + strings.Join(names, ", "), false
}

// blank reports whether s shows nothing: only white space, control and
// format characters (a zero-width space, a byte order mark) and the Hangul
// fillers that render as empty space.
func blank(s string) bool {
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), unicode.IsControl(r), unicode.Is(unicode.Cf, r):
		case r == '\u115f', r == '\u1160', r == '\u3164', r == '\uffa0':
		default:
			return false
		}
	}
	return true
}

// param returns the unescaped path parameter name.
func param(c *echo.Context, name string) string {
	v := c.Param(name)
	if c.Request().URL.RawPath == "" {
		// Echo matched the decoded path: v is decoded already, and a key
		// holding "%41" must not become "A".
		return v
	}
	if u, err := url.PathUnescape(v); err == nil {
		return u
	}
	return v
}

// limit reads ?limit= (default 100, at most 500).
func limit(c *echo.Context) (int, error) { return limitOr(c, 100) }

// limitOr reads ?limit= (default def, at most 500).
func limitOr(c *echo.Context, def int) (int, error) {
	s := c.QueryParam("limit")
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 500 {
		return 0, errors.New("limit must be 1..500")
	}
	return n, nil
}

// --- tokens (master) ---

func (s *Server) listTokens(c *echo.Context) error {
	toks, err := s.db.AdminTokens(c.Request().Context())
	if err != nil {
		return s.internal(c, "list tokens", err)
	}
	out := make([]tokenView, 0, len(toks))
	for _, t := range toks {
		out = append(out, viewToken(t))
	}
	return c.JSON(http.StatusOK, map[string]any{"tokens": out})
}

func (s *Server) createToken(c *echo.Context) error {
	var req struct {
		Name string `json:"name"`
		Role string `json:"role"`
	}
	if err := decode(c, &req); err != nil {
		return badBody(c, err)
	}
	if blank(req.Name) || utf8.RuneCountInString(req.Name) > 100 {
		return errorJSON(c, http.StatusBadRequest, "name is required (at most 100 characters)")
	}
	if req.Role != store.RoleMaster && req.Role != store.RoleManager {
		return errorJSON(c, http.StatusBadRequest, `role must be "master" or "manager"`)
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return s.internal(c, "create token", err)
	}
	token := "bat_" + base64.RawURLEncoding.EncodeToString(secret)
	now := s.opts.Now()
	t := store.AdminToken{ID: store.NewID(now), Name: req.Name, Role: req.Role, Hash: HashToken(token),
		CreatedBy: who(c).ID, CreatedAt: now}
	if err := s.db.AddAdminToken(c.Request().Context(), t); err != nil {
		return s.internal(c, "create token", err)
	}
	s.log.Info("admin: token created", "token_id", t.ID, "role", t.Role, "by", who(c).ID)
	v := viewToken(t)
	v.Token = token
	return c.JSON(http.StatusCreated, v)
}

func (s *Server) revokeToken(c *echo.Context) error {
	id := param(c, "id")
	ok, err := s.db.RevokeAdminToken(c.Request().Context(), id, s.opts.Now())
	if err != nil {
		return s.internal(c, "revoke token", err)
	}
	if !ok {
		return errorJSON(c, http.StatusNotFound, "no such valid token")
	}
	s.log.Info("admin: token revoked", "token_id", id, "by", who(c).ID)
	return c.JSON(http.StatusOK, map[string]any{"id": id, "revoked": true})
}

// --- handoffs ---

func (s *Server) listHandoffs(c *echo.Context) error {
	f := store.HandoffFilter{Queue: c.QueryParam("queue"), Before: c.QueryParam("before"), Code: queryCode(c)}
	switch st := c.QueryParam("state"); st {
	case "", "open":
		f.OpenOnly = true
	case "all":
	case store.HandoffWaiting, store.HandoffHuman, store.HandoffEnded: // a handoff's state, as shown
		f.State = st
	default:
		return errorJSON(c, http.StatusBadRequest, `state must be "open", "all", "waiting", "human" or "ended"`)
	}
	p, err := readPage(c, "handoffs", true, 100)
	if err == nil {
		err = checkBefore(c, p)
	}
	if err == nil && f.Before != "" {
		f.Before, err = handoffBefore(f.Before)
	}
	if err != nil {
		return errorJSON(c, http.StatusBadRequest, err.Error())
	}
	f.Limit, f.Asc, f.After = p.fetch(), !p.desc, p.after
	hs, err := s.db.ListHandoffs(c.Request().Context(), f)
	if err != nil {
		return s.internal(c, "list handoffs", err)
	}
	if len(hs) == 0 {
		if err := s.unknownQueue(f.Queue); err != nil {
			return errorJSON(c, http.StatusBadRequest, err.Error())
		}
	}
	hs, next := pageOf(c, p, hs, store.HandoffKey)
	out := make([]handoffView, 0, len(hs))
	for _, h := range hs {
		out = append(out, viewHandoff(h))
	}
	return pageJSON(c, map[string]any{"handoffs": out}, next)
}

// unknownQueue explains a ?queue= filter that matched nothing and names no
// queue of the config in force (Options.Queues); nil for any other filter.
// It is asked only when a list came back empty, so a queue a reload
// dropped still lists its stored rows.
func (s *Server) unknownQueue(queue string) error {
	if queue == "" || s.opts.Queues == nil {
		return nil
	}
	queues := s.opts.Queues()
	if slices.Contains(queues, queue) {
		return nil
	}
	return fmt.Errorf("no queue %q in the config: its queues are %s", queue, strings.Join(queues, ", "))
}

// handoffBefore reads ?before= of the handoffs list: a handoff id, a ULID
// (26 characters of Crockford base 32, in either case), returned in the
// upper case ids are stored in, since the list compares ids as text.
// Anything else is an error naming the parameter: compared as text it
// would list an arbitrary slice of the handoffs.
func handoffBefore(v string) (string, error) {
	id, err := ulid.ParseStrict(v)
	if err != nil {
		return "", errors.New("before must be a handoff id (a ULID of 26 characters, such as 01KA3M6ZQ7R8S9T0V1W2X3Y4Z5)")
	}
	return id.String(), nil
}

// checkBefore refuses ?before= (the older way to page back, newest first)
// together with a cursor or order=asc.
func checkBefore(c *echo.Context, p listPage) error {
	if c.QueryParam("before") == "" {
		return nil
	}
	if c.QueryParam("cursor") != "" {
		return errors.New("before and cursor exclude each other: the cursor carries the position")
	}
	if !p.desc {
		return errors.New("before pages newest first: leave it out with order=asc")
	}
	return nil
}

func (s *Server) getHandoff(c *echo.Context) error {
	out, ok, err := s.handoffDetail(c.Request().Context(), param(c, "id"))
	if err != nil {
		return s.internal(c, "read handoff", err)
	}
	if !ok {
		return errorJSON(c, http.StatusNotFound, "no such handoff")
	}
	return c.JSON(http.StatusOK, out)
}

// handoffDetail is the answer of GET /admin/handoffs/:id: the handoff, its
// dealer agent, the sinks/dealers told, the names of its stored intake
// answers (values: GET /admin/handoffs/:id/intake) and the user's CSAT score
// for the session, when they gave one. ok is false for an unknown id.
func (s *Server) handoffDetail(ctx context.Context, id string) (out map[string]any, ok bool, err error) {
	h, ok, err := s.db.Handoff(ctx, id)
	if err != nil || !ok {
		return nil, false, err
	}
	out = map[string]any{"handoff": viewHandoff(h)}
	if a, ok, err := s.db.HandoffAgent(ctx, id); err != nil {
		return nil, false, fmt.Errorf("agent: %w", err)
	} else if ok {
		out["agent"] = map[string]string{"id": a.ID, "name": a.Name, "assigned_at": ts(a.AssignedAt)}
	}
	d, err := s.db.Deliveries(ctx, id)
	if err != nil {
		return nil, false, fmt.Errorf("deliveries: %w", err)
	}
	deliveries := map[string]string{}
	for target, at := range d {
		deliveries[target] = ts(at)
	}
	out["deliveries"] = deliveries
	fields, err := s.db.HandoffIntakeFields(ctx, id)
	if err != nil {
		return nil, false, fmt.Errorf("intake fields: %w", err)
	}
	names := make([]string, 0, len(fields))
	for _, f := range fields {
		names = append(names, f.Name)
	}
	out["intake_fields"] = names
	if score, at, ok, err := s.db.HandoffCSAT(ctx, id); err != nil {
		return nil, false, fmt.Errorf("csat: %w", err)
	} else if ok {
		out["csat"] = map[string]any{"score": score, "at": ts(at)}
	}
	return out, true, nil
}

// --- conversations, access log, erasure ---

// endOfTime is later than any turn's time.
var endOfTime = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// getConversation returns a user's state and recent turns: a transcript
// read, written to the access log before anything is read.
func (s *Server) getConversation(c *echo.Context) error {
	ctx := c.Request().Context()
	key := param(c, "key")
	if key == "" {
		return errorJSON(c, http.StatusBadRequest, "user key is required")
	}
	pg, err := readPage(c, "turns", true, s.opts.TranscriptTurns)
	if err == nil && !pg.desc {
		err = errors.New("order: a transcript pages back from its newest turn (order=desc) only")
	}
	if err != nil {
		return errorJSON(c, http.StatusBadRequest, err.Error())
	}
	p := who(c)
	now := s.opts.Now()
	if err := s.db.LogAccess(ctx, store.AccessEntry{At: now, TokenID: p.ID, Role: p.Role,
		Action: store.AccessReadConversation, Subject: s.Subject(key)}); err != nil {
		return s.internal(c, "log access", err)
	}
	u, conv, found, err := s.db.Load(ctx, key)
	if err != nil {
		return s.internal(c, "load conversation", err)
	}
	if !found {
		return errorJSON(c, http.StatusNotFound, "no such user")
	}
	var turns []store.Turn
	if pg.after.IsZero() {
		// The newest turns whatever the clock says now: a turn stamped
		// later (the clock stepped back since) is still the user's newest.
		turns, err = s.db.RecentTurns(ctx, key, endOfTime, pg.fetch())
	} else {
		turns, err = s.db.TurnsBefore(ctx, key, pg.after.S, pg.fetch())
	}
	if err != nil {
		return s.internal(c, "read turns", err)
	}
	// The page is the newest turns; it is shown oldest first.
	slices.Reverse(turns)
	turns, next := pageOf(c, pg, turns, store.TurnKey)
	slices.Reverse(turns)
	out := map[string]any{"user": viewUser(u), "turns": viewTurns(turns)}
	if conv.Version > 0 {
		out["conversation"] = viewConversation(conv)
	}
	if h, ok, err := s.db.OpenHandoff(ctx, key); err != nil {
		return s.internal(c, "read open handoff", err)
	} else if ok {
		out["open_handoff"] = viewHandoff(h)
	}
	return pageJSON(c, out, next)
}

func (s *Server) accessLog(c *echo.Context) error {
	f := store.AccessFilter{Subject: c.QueryParam("subject")}
	p, err := readPage(c, "access-log", true, 100)
	if err == nil {
		err = checkBefore(c, p)
	}
	if err != nil {
		return errorJSON(c, http.StatusBadRequest, err.Error())
	}
	f.Limit, f.Asc, f.After = p.fetch(), !p.desc, p.after
	if b := c.QueryParam("before"); b != "" {
		if f.BeforeID, err = strconv.ParseInt(b, 10, 64); err != nil || f.BeforeID < 1 {
			return errorJSON(c, http.StatusBadRequest, "before must be an access log id")
		}
	}
	if k := c.QueryParam("user"); k != "" {
		f.Subject = s.Subject(k) // an auditor holding the key finds its reads
	}
	rows, err := s.db.AccessLog(c.Request().Context(), f)
	if err != nil {
		return s.internal(c, "read access log", err)
	}
	rows, next := pageOf(c, p, rows, store.AccessKey)
	out := make([]accessView, 0, len(rows))
	for _, r := range rows {
		out = append(out, accessView{ID: r.ID, At: ts(r.At), TokenID: r.TokenID, Role: r.Role, Action: r.Action, Subject: r.Subject,
			TicketID: r.TicketID, HandoffID: r.HandoffID})
	}
	return pageJSON(c, map[string]any{"entries": out}, next)
}

// eraseUser erases a user everywhere: JetStream timer schedules first (from
// the rows as they are), then every store row in one transaction that also
// records the dealer cancels the user's handoffs are owed (apart from the
// rows erased, sent by the router once it commits), then the stream again
// for anything scheduled meanwhile. It runs under the user's
// turn lock so no turn writes the user back half-way.
//
// The user's group-room rows (a team chat's turns are stored under
// store.GroupKey(room, key), docs/design.md §3 step 2) are erased the same
// way after the user's own, each under its own key's turn lock, since a
// group turn holds that lock, not the user's. The answer adds them up.
func (s *Server) eraseUser(c *echo.Context) error {
	ctx := c.Request().Context()
	key := param(c, "key")
	if key == "" {
		return errorJSON(c, http.StatusBadRequest, "user key is required")
	}
	p := who(c)
	if err := s.db.LogAccess(ctx, store.AccessEntry{At: s.opts.Now(), TokenID: p.ID, Role: p.Role,
		Action: store.AccessEraseUser, Subject: s.Subject(key)}); err != nil {
		return s.internal(c, "log access", err)
	}
	e, stage, err := s.eraseKey(ctx, key)
	if err != nil {
		s.log.Error("admin: erase user failed", "stage", stage, "by", p.ID, "err", err)
		if stage == "purge stream" {
			return errorJSON(c, http.StatusServiceUnavailable, "could not purge pending timers from JetStream; nothing was erased, retry")
		}
		return errorJSON(c, http.StatusInternalServerError, stage+" failed")
	}
	groups, err := s.db.GroupKeys(ctx, key)
	if err != nil {
		s.log.Error("admin: erase user failed", "stage", "list group chats", "by", p.ID, "err", err)
		return errorJSON(c, http.StatusInternalServerError, "the user was erased but their group chats were not: list group chats failed, retry")
	}
	for _, g := range groups {
		ge, stage, err := s.eraseKey(ctx, g)
		if err != nil {
			s.log.Error("admin: erase user failed", "stage", stage+" (group chat)", "by", p.ID, "err", err)
			status := http.StatusInternalServerError
			if stage == "purge stream" {
				status = http.StatusServiceUnavailable
			}
			return errorJSON(c, status, "the user was erased but not all their group chats: "+stage+" failed, retry")
		}
		e.Found = e.Found || ge.Found
		e.Timers = append(e.Timers, ge.Timers...)
		for t, n := range ge.Rows {
			if e.Rows == nil {
				e.Rows = map[string]int64{}
			}
			e.Rows[t] += n
		}
	}
	var rows int64
	for _, n := range e.Rows {
		rows += n
	}
	s.log.Info("admin: user erased", "by", p.ID, "rows", rows, "timers", len(e.Timers), "group_chats", len(groups))
	return c.JSON(http.StatusOK, map[string]any{"erased": e.Found, "rows": e.Rows, "timers": len(e.Timers)})
}

// eraseKey erases the rows stored under key (a user's, or one of their
// group rooms') and its stream subjects, under key's turn lock when the
// skill server is there. On failure it returns the stage that failed.
func (s *Server) eraseKey(ctx context.Context, key string) (e store.Erasure, stage string, failure error) {
	erase := func() error {
		refs, err := s.db.UserRefs(ctx, key)
		if err != nil {
			stage, failure = "read user refs", err
			return err
		}
		if err := s.purge(ctx, refs); err != nil {
			stage, failure = "purge stream", err
			return err
		}
		if e, err = handoff.EraseUser(ctx, s.db, key, s.opts.Now()); err != nil {
			stage, failure = "erase user", err
			return err
		}
		if len(e.Cancels) > 0 {
			s.outboxCommitted() // the owed cancels' baton.handoff.erased.<id> messages
		}
		if err := s.purge(ctx, e); err != nil {
			stage, failure = "purge stream after erase", err
			return err
		}
		return nil
	}
	var err error
	if s.opts.Users != nil {
		err = s.opts.Users.WithUser(key, erase)
	} else {
		err = erase()
	}
	if err != nil {
		if failure == nil { // not from erase: WithUser's own
			stage, failure = "erase user", err
		}
		return store.Erasure{}, stage, failure
	}
	return e, "", nil
}

// purge removes e's stream subjects when a Purger is configured.
func (s *Server) purge(ctx context.Context, e store.Erasure) error {
	if s.opts.Purger == nil {
		return nil
	}
	return s.opts.Purger.Purge(ctx, e)
}

// --- tickets (on the Tickets interface) ---

// ticketErr maps a Tickets error to a status.
func (s *Server) ticketErr(c *echo.Context, op string, err error) error {
	switch {
	case errors.Is(err, ErrNotFound):
		return errorJSON(c, http.StatusNotFound, "no such ticket")
	case errors.Is(err, store.ErrConflict):
		return errorJSON(c, http.StatusConflict, op+": not allowed in the ticket's status")
	}
	var long *AnswerTooLongError
	if errors.As(err, &long) {
		return errorJSON(c, http.StatusUnprocessableEntity, long.Error())
	}
	return s.internal(c, op, err)
}

func (s *Server) listTickets(c *echo.Context) error {
	if s.opts.Tickets == nil {
		return errorJSON(c, http.StatusNotImplemented, "tickets are not available")
	}
	status := c.QueryParam("status")
	switch status {
	case "", store.TicketStatusOpen, store.TicketStatusAssigned, store.TicketStatusAnswered, store.TicketStatusClosed:
	default: // a typo would list nothing, as if no ticket were waiting
		return errorJSON(c, http.StatusBadRequest, `status must be "open", "assigned", "answered" or "closed" (or left out: every status)`)
	}
	p, err := readPage(c, "tickets", false, 100)
	if err != nil {
		return errorJSON(c, http.StatusBadRequest, err.Error())
	}
	ts, err := s.opts.Tickets.ListTickets(c.Request().Context(), store.TicketFilter{Status: status,
		Queue: c.QueryParam("queue"), Code: queryCode(c), Limit: p.fetch(), Desc: p.desc, After: p.after})
	if err != nil {
		return s.ticketErr(c, "list tickets", err)
	}
	if len(ts) == 0 {
		if err := s.unknownQueue(c.QueryParam("queue")); err != nil {
			return errorJSON(c, http.StatusBadRequest, err.Error())
		}
	}
	ts, next := pageOf(c, p, ts, store.TicketKey)
	if ts == nil {
		ts = []store.Ticket{}
	}
	// Only the page shown is read: its tickets alone get read_ticket rows.
	if err := s.logTicketListReads(c, ts); err != nil {
		return s.internal(c, "log access", err)
	}
	return pageJSON(c, map[string]any{"tickets": ts}, next)
}

// pathTicket reads the ticket the path's :id names. When ok is false there
// is nothing to serve and the caller returns err, the answer already chosen:
// 501 without a ticket store, 404 for an unknown id, 500 for a store error.
func (s *Server) pathTicket(c *echo.Context) (t store.Ticket, ok bool, err error) {
	if s.opts.Tickets == nil {
		return t, false, errorJSON(c, http.StatusNotImplemented, "tickets are not available")
	}
	t, ok, err = s.opts.Tickets.TicketByID(c.Request().Context(), param(c, "id"))
	switch {
	case err != nil:
		return t, false, s.ticketErr(c, "read ticket", err)
	case !ok:
		return t, false, errorJSON(c, http.StatusNotFound, "no such ticket")
	}
	return t, true, nil
}

// getTicket returns one ticket; a ticket of a user carries the user's
// message, so the read is written to the access log.
func (s *Server) getTicket(c *echo.Context) error {
	t, ok, err := s.pathTicket(c)
	if !ok {
		return err
	}
	ctx := c.Request().Context()
	if t.UserKey != "" {
		p := who(c)
		if err := s.db.LogAccess(ctx, store.AccessEntry{At: s.opts.Now(), TokenID: p.ID, Role: p.Role,
			Action: store.AccessReadTicket, Subject: s.Subject(t.UserKey), TicketID: t.ID}); err != nil {
			return s.internal(c, "log access", err)
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"ticket": t})
}

// ticketAction runs a ticket transition and answers the ticket as it is now.
// The answer shows a user's ticket, so the read is written to the access log
// first, before the transition: a failed log changes nothing.
func (s *Server) ticketAction(c *echo.Context, op string, do func(id string, at time.Time) error) error {
	before, ok, err := s.pathTicket(c)
	if !ok {
		return err
	}
	if err := s.logTicketReads(c, []store.Ticket{before}); err != nil {
		return s.internal(c, "log access", err)
	}
	id := before.ID
	if err := do(id, s.opts.Now()); errors.Is(err, store.ErrConflict) {
		return s.ticketConflict(c, op, id)
	} else if err != nil {
		return s.ticketErr(c, op, err)
	}
	s.outboxCommitted() // the move's baton.ticket.<id>.<event> message
	t, ok, err := s.opts.Tickets.TicketByID(c.Request().Context(), id)
	if err != nil {
		return s.ticketErr(c, op, err)
	}
	if !ok {
		return errorJSON(c, http.StatusNotFound, "no such ticket")
	}
	s.log.Info("admin: ticket "+op, "ticket", id, "by", who(c).ID)
	out := map[string]any{"ticket": t}
	if op == "answer" {
		s.addDelivery(c.Request().Context(), out, t)
	}
	return c.JSON(http.StatusOK, out)
}

// ticketConflict answers 409 for an action the ticket's status refused,
// naming that status, with the ticket as it stands (as a handoff's 409 does),
// so an agent sees who answered or closed it meanwhile. The read is already
// in the access log (ticketAction).
func (s *Server) ticketConflict(c *echo.Context, op, id string) error {
	t, ok, err := s.opts.Tickets.TicketByID(c.Request().Context(), id)
	if err != nil {
		return s.internal(c, op, err)
	}
	if !ok {
		return errorJSON(c, http.StatusNotFound, "no such ticket")
	}
	return c.JSON(http.StatusConflict, map[string]any{
		"error":  fmt.Sprintf("%s: not allowed: the ticket is %s", op, t.Status),
		"ticket": t,
	})
}

func (s *Server) assignTicket(c *echo.Context) error {
	var req struct {
		Assignee string `json:"assignee"`
	}
	if err := decode(c, &req); err != nil {
		return badBody(c, err)
	}
	if blank(req.Assignee) {
		return errorJSON(c, http.StatusBadRequest, "assignee is required")
	}
	return s.ticketAction(c, "assign", func(id string, at time.Time) error {
		return s.opts.Tickets.AssignTicket(c.Request().Context(), id, req.Assignee, at)
	})
}

func (s *Server) answerTicket(c *echo.Context) error {
	var req struct {
		Answer string `json:"answer"`
	}
	if err := decode(c, &req); err != nil {
		return badBody(c, err)
	}
	if blank(req.Answer) {
		return errorJSON(c, http.StatusBadRequest, "answer is required")
	}
	return s.ticketAction(c, "answer", func(id string, at time.Time) error {
		return s.opts.Tickets.AnswerTicket(c.Request().Context(), id, req.Answer, at)
	})
}

func (s *Server) closeTicket(c *echo.Context) error {
	ctx := c.Request().Context()
	return s.ticketAction(c, "close", func(id string, at time.Time) error {
		if done, err := s.closeWithHandoff(ctx, id, at); done || err != nil {
			return err
		}
		return s.opts.Tickets.CloseTicket(ctx, id, at)
	})
}

// handoffEnder applies a lifecycle event about one handoff together with
// further writes, in one transaction; skill.Server satisfies it.
type handoffEnder interface {
	ApplyForWith(ctx context.Context, userKey, handoffID, event, reason string, ops []store.Op, outbox []store.OutboxMsg) (fsm.Outcome, error)
}

// closeWithHandoff closes a dealer_failed ticket whose handoff is still open
// (failed over from its dealer, waiting or accepted by an agent) together
// with that handoff, in one store transaction: the handoff ends with reason
// handoff.ReasonTicketClosed, the user's conversation returns to the bot.
// done is false, with nothing written, when the ticket has no such handoff
// (or it ended meanwhile): the caller closes the ticket alone. A ticket
// closed meanwhile returns an error wrapping store.ErrConflict.
func (s *Server) closeWithHandoff(ctx context.Context, id string, at time.Time) (done bool, err error) {
	ender, ok := s.opts.Lifecycle.(handoffEnder)
	if !ok {
		return false, nil
	}
	t, found, err := s.opts.Tickets.TicketByID(ctx, id)
	if err != nil || !found || t.Reason != handoff.TicketReasonDealerFailed || t.HandoffID == "" {
		return false, err
	}
	h, found, err := s.db.Handoff(ctx, t.HandoffID)
	if err != nil || !found || !h.EndedAt.IsZero() {
		return false, err
	}
	_, err = ender.ApplyForWith(ctx, h.UserKey, h.ID, fsm.EventEnded, handoff.ReasonTicketClosed,
		[]store.Op{store.CloseTicketOp(id, at)}, []store.OutboxMsg{handoff.TicketEventMsg(id, store.TicketStatusClosed, at)})
	if errors.Is(err, fsm.ErrNoTransition) {
		return false, nil // the conversation moved on: the ticket closes alone
	}
	return err == nil, err
}

// --- hours override (on the Hours interface) ---

// queueName is a queue name as configs accepts it (DESIGN §6).
var queueName = regexp.MustCompile(`^[a-z0-9_-]+$`)

func validQueue(q string) bool { return q == "*" || queueName.MatchString(q) }

func (s *Server) listOverrides(c *echo.Context) error {
	if s.opts.Hours == nil {
		return errorJSON(c, http.StatusNotImplemented, "hours overrides are not available")
	}
	os, err := s.opts.Hours.Overrides(c.Request().Context())
	if err != nil {
		return s.internal(c, "list overrides", err)
	}
	if os == nil {
		os = []HoursOverride{}
	}
	out := map[string]any{"overrides": os}
	if env := s.opts.EnvHoursOverride; env != "" {
		// With no admin override listed, this is what every queue does.
		out["env_override"] = env
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) setOverride(c *echo.Context) error {
	if s.opts.Hours == nil {
		return errorJSON(c, http.StatusNotImplemented, "hours overrides are not available")
	}
	var req struct {
		Queue string `json:"queue"`
		Mode  string `json:"mode"`
		Until string `json:"until"`
	}
	if err := decode(c, &req); err != nil {
		return badBody(c, err)
	}
	if !validQueue(req.Queue) {
		return errorJSON(c, http.StatusBadRequest, `queue must be "*" or a queue name`)
	}
	mode := handoff.Override(req.Mode)
	if mode != handoff.OverrideOpen && mode != handoff.OverrideClosed {
		return errorJSON(c, http.StatusBadRequest, `mode must be "open" or "closed"`)
	}
	var until time.Time
	if req.Until != "" {
		var err error
		if until, err = time.Parse(time.RFC3339, req.Until); err != nil {
			return errorJSON(c, http.StatusBadRequest, "until must be RFC 3339")
		}
		// As stored (to the millisecond) and as GET lists it: UTC,
		// whatever offset the caller wrote it in.
		until = time.UnixMilli(until.UnixMilli()).UTC()
		if !until.After(s.opts.Now()) {
			return errorJSON(c, http.StatusBadRequest, "until is in the past")
		}
	}
	if err := s.opts.Hours.SetOverride(c.Request().Context(), req.Queue, mode, until, who(c).ID); err != nil {
		if errors.Is(err, ErrNotFound) {
			return errorJSON(c, http.StatusNotFound, "no such queue")
		}
		return s.internal(c, "set override", err)
	}
	s.log.Info("admin: hours override set", "queue", req.Queue, "mode", req.Mode, "by", who(c).ID)
	return c.JSON(http.StatusOK, HoursOverride{Queue: req.Queue, Mode: mode, Until: until, By: who(c).ID})
}

func (s *Server) clearOverride(c *echo.Context) error {
	if s.opts.Hours == nil {
		return errorJSON(c, http.StatusNotImplemented, "hours overrides are not available")
	}
	q := c.QueryParam("queue")
	if q == "" {
		q = "*"
	}
	if !validQueue(q) {
		return errorJSON(c, http.StatusBadRequest, `queue must be "*" or a queue name`)
	}
	if err := s.opts.Hours.ClearOverride(c.Request().Context(), q); err != nil {
		if errors.Is(err, ErrNotFound) {
			return errorJSON(c, http.StatusNotFound, "no such queue")
		}
		return s.internal(c, "clear override", err)
	}
	s.log.Info("admin: hours override cleared", "queue", q, "by", who(c).ID)
	return c.JSON(http.StatusOK, map[string]any{"queue": q, "cleared": true})
}

// --- reload ---

func (s *Server) reload(c *echo.Context) error {
	if s.opts.Reloader == nil {
		return errorJSON(c, http.StatusNotImplemented, "reload is not available")
	}
	rec, err := s.opts.Reloader.Reload(c.Request().Context(), who(c).ID)
	var inUse *QueueInUseError
	var invalid *InvalidConfigError
	switch {
	case errors.As(err, &inUse):
		return errorJSON(c, http.StatusConflict, inUse.Error())
	case errors.As(err, &invalid):
		return errorJSON(c, http.StatusUnprocessableEntity, invalid.Error())
	case err != nil:
		return s.internal(c, "reload", err)
	}
	return c.JSON(http.StatusOK, map[string]any{"result": store.ReloadOK, "reload": viewReload(rec)})
}

func (s *Server) reloads(c *echo.Context) error {
	p, err := readPage(c, "reloads", true, 100)
	if err != nil {
		return errorJSON(c, http.StatusBadRequest, err.Error())
	}
	rs, err := s.db.Reloads(c.Request().Context(), store.ReloadFilter{Limit: p.fetch(), Asc: !p.desc, After: p.after})
	if err != nil {
		return s.internal(c, "read reloads", err)
	}
	rs, next := pageOf(c, p, rs, store.ReloadKey)
	out := make([]reloadView, 0, len(rs))
	for _, r := range rs {
		out = append(out, viewReload(r))
	}
	return pageJSON(c, map[string]any{"reloads": out}, next)
}
