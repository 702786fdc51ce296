package handoff

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// Dealer event types (dealer contract v1).
const (
	DealerSessionStarted = "session.started"
	DealerAgentAssigned  = "agent.assigned"
	DealerSessionEnded   = "session.ended"
)

// ExternalReason is the reason of a handoff Baton did not open: the dealer
// reported a session for a user who reached 상담톡 through the channel's
// own 상담 menu.
const ExternalReason = "external"

// DealerEventsPath is the public route of dealer events.
const DealerEventsPath = "/dealers/:name/events"

// maxEventBody bounds a dealer event body; larger gets 413.
const maxEventBody = 64 << 10

// DefaultEventDedupe is how long dealer event ids are remembered.
const DefaultEventDedupe = 24 * time.Hour

// Answers of POST /dealers/{name}/events, in the "status" field of a 200.
const (
	EventApplied        = "applied"         // the event changed something
	EventAlreadyApplied = "already_applied" // a late or repeated event; nothing to change
	EventDuplicate      = "duplicate"       // this event id was already applied
	EventIgnored        = "ignored"         // nothing matched; do not retry
)

// DealerEventStore is the storage dealer events need; *store.DB satisfies it.
type DealerEventStore interface {
	Load(ctx context.Context, userKey string) (store.User, fsm.Conversation, bool, error)
	Handoff(ctx context.Context, id string) (store.Handoff, bool, error)
	OpenHandoff(ctx context.Context, userKey string) (store.Handoff, bool, error)
	UserByPlusfriendKey(ctx context.Context, key string) (store.User, bool, error)
	DealerEventSeen(ctx context.Context, dealer, id string, since time.Time) (bool, error)
	RecordDealerEvent(ctx context.Context, dealer, id string, at time.Time) error
	PruneDealerEvents(ctx context.Context, before time.Time) (int, error)
	RecordDealerSessionEnd(ctx context.Context, dealer, userKey string, endedAt, receivedAt time.Time) error
	DealerSessionEnd(ctx context.Context, dealer, userKey string, since time.Time) (time.Time, bool, error)
	PruneDealerSessionEnds(ctx context.Context, before time.Time) (int, error)
	OpenExternalHandoff(ctx context.Context, h store.Handoff, out ...store.OutboxMsg) error
	MarkHandoffAccepted(ctx context.Context, id string, at time.Time, out ...store.OutboxMsg) (bool, error)
	CloseHandoff(ctx context.Context, id, reason string, at time.Time, out ...store.OutboxMsg) (bool, error)
	SetHandoffAgent(ctx context.Context, id string, a store.Agent) (recorded bool, err error)
	DealerFailed(ctx context.Context, id string) (bool, error)
}

// DealerEvent is the body of POST /dealers/{name}/events.
type DealerEvent struct {
	Version   int    `json:"version"`
	ID        string `json:"id"`
	Type      string `json:"type"`
	HandoffID string `json:"handoff_id,omitempty"`
	User      *struct {
		PlusfriendUserKey string `json:"plusfriend_user_key"`
	} `json:"user,omitempty"`
	At    EventTime `json:"at"`
	Agent *struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"agent,omitempty"`
	EndType  string          `json:"end_type,omitempty"`
	BotEvent json.RawMessage `json:"bot_event,omitempty"`
}

// EventTime is a dealer event's "at": any RFC 3339 date-time, including
// what time.Time's own decoding refuses — a lower-case "t" or "z" and a leap
// second (":60", read as :59), both valid per RFC 3339 §5.6. "at" is only
// informative; a value that is not RFC 3339 still makes the body malformed.
type EventTime struct{ time.Time }

// UnmarshalJSON decodes a JSON string holding an RFC 3339 date-time.
func (t *EventTime) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("at: %w", err)
	}
	at, err := parseRFC3339(s)
	if err != nil {
		return err
	}
	t.Time = at
	return nil
}

// parseRFC3339 parses s as RFC 3339 §5.6 date-time.
func parseRFC3339(s string) (time.Time, error) {
	u := strings.ToUpper(s) // "t" and "z" may be lower case
	at, err := time.Parse(time.RFC3339Nano, u)
	if err == nil {
		return at, nil
	}
	// A leap second (23:59:60) is valid RFC 3339; Go has no such instant.
	if len(u) > 19 && u[10] == 'T' && u[16:19] == ":60" {
		if at, err2 := time.Parse(time.RFC3339Nano, u[:17]+"59"+u[19:]); err2 == nil {
			return at, nil
		}
	}
	return time.Time{}, fmt.Errorf("at %q is not an RFC 3339 time", s)
}

// dealerRoute is what the handler knows about one configured dealer.
type dealerRoute struct {
	secret []byte
	queue  string // first queue (by name) targeting the dealer; "" = none
}

// DealerEvents is the inbound half of the dealer contract v1: it verifies,
// dedupes and applies dealer events. Mount it with Register; swap the
// dealers on a config reload with Reload.
type DealerEvents struct {
	log    *slog.Logger
	store  DealerEventStore
	app    Applier
	routes atomic.Pointer[map[string]dealerRoute]

	// Now is the clock (default time.Now); Skew the allowed signature age
	// (default DefaultSignatureSkew); Dedupe how long event ids are
	// remembered (default DefaultEventDedupe). Set before Register.
	Now    func() time.Time
	Skew   time.Duration
	Dedupe time.Duration
	// OnActivity, when set, hears of an agent.assigned on an open handoff:
	// the dealer session is alive, so its idle timer restarts
	// (TimerConsumer.RefreshIdle). An error fails the event (the dealer
	// retries). Set before the public address serves.
	OnActivity func(ctx context.Context, handoffID string) error
	// OnOutbox, when set, wakes the outbox relay after an external
	// handoff's change queued its lifecycle event (EventExternal,
	// EventAccepted, EventEnded). Set before the public address serves.
	OnOutbox func()
}

// NewDealerEvents returns the dealer event handler for cfg's dealers. app is
// the lifecycle (*skill.Server), st the store (*store.DB).
func NewDealerEvents(logger *slog.Logger, cfg *configs.Config, st DealerEventStore, app Applier) *DealerEvents {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	d := &DealerEvents{
		log: logger.With("component", "dealer_events"), store: st, app: app,
		Now: time.Now, Skew: DefaultSignatureSkew, Dedupe: DefaultEventDedupe,
	}
	d.Reload(cfg)
	return d
}

// Reload installs the dealers (secrets, queues) of a new config.
func (d *DealerEvents) Reload(cfg *configs.Config) {
	routes := make(map[string]dealerRoute, len(cfg.Dealers))
	names := make([]string, 0, len(cfg.Handoff.Queues))
	for q := range cfg.Handoff.Queues {
		names = append(names, q)
	}
	slices.Sort(names)
	for name, dl := range cfg.Dealers {
		r := dealerRoute{secret: []byte(dl.Secret)}
		for _, q := range names {
			if cfg.Handoff.Queues[q].Target == "dealer:"+name {
				r.queue = q
				break
			}
		}
		routes[name] = r
	}
	d.routes.Store(&routes)
}

// Register mounts POST /dealers/:name/events on e (the public Echo).
func (d *DealerEvents) Register(e *echo.Echo) {
	e.POST(DealerEventsPath, d.handleRecovered)
}

// Prune forgets event ids, and the session ends remembered per user
// (rememberEnd), older than the dedupe window; call it periodically. It
// returns the number of records forgotten and the store's error.
func (d *DealerEvents) Prune(ctx context.Context) (int, error) {
	before := d.Now().Add(-d.Dedupe)
	n, err := d.store.PruneDealerEvents(ctx, before)
	if err != nil {
		return n, err
	}
	m, err := d.store.PruneDealerSessionEnds(ctx, before)
	return n + m, err
}

// eventAnswer is the JSON of every answer.
type eventAnswer struct {
	Status string `json:"status,omitempty"`
	Error  string `json:"error,omitempty"`
}

// handle serves POST /dealers/:name/events. Answers: 200 {"status"} when
// applied, already applied, a duplicate or ignored; 401 bad or stale
// signature; 400 malformed body; 404 unknown dealer; 413 body too large;
// 500 when the store or lifecycle failed, or the handler panicked
// (handleRecovered; the dealer retries).
func (d *DealerEvents) handle(c *echo.Context) error {
	name := c.Param("name")
	route, ok := (*d.routes.Load())[name]
	if !ok {
		return c.JSON(http.StatusNotFound, eventAnswer{Error: "unknown dealer"})
	}
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, maxEventBody+1))
	if err != nil {
		return c.JSON(http.StatusBadRequest, eventAnswer{Error: "unreadable body"})
	}
	if len(body) > maxEventBody {
		return c.JSON(http.StatusRequestEntityTooLarge, eventAnswer{Error: "body too large"})
	}
	log := d.log.With("dealer", name)
	if err := Verify(route.secret, c.Request().Header.Get(SignatureHeader), body, d.Now(), d.Skew); err != nil {
		log.Warn("dealer event refused", "err", err)
		return c.JSON(http.StatusUnauthorized, eventAnswer{Error: "bad signature"})
	}
	var ev DealerEvent
	if err := json.Unmarshal(body, &ev); err != nil {
		return c.JSON(http.StatusBadRequest, eventAnswer{Error: malformed(body, err)})
	}
	if msg := ev.invalid(); msg != "" {
		return c.JSON(http.StatusBadRequest, eventAnswer{Error: msg})
	}
	log = log.With("event", ev.ID, "type", ev.Type)
	ctx := c.Request().Context()
	seen, err := d.store.DealerEventSeen(ctx, name, ev.ID, d.Now().Add(-d.Dedupe))
	if err != nil {
		log.Error("dealer event: dedupe", "err", err)
		return c.JSON(http.StatusInternalServerError, eventAnswer{Error: "try again"})
	}
	if seen {
		return c.JSON(http.StatusOK, eventAnswer{Status: EventDuplicate})
	}
	status, err := d.apply(ctx, name, route, &ev, log)
	if err != nil {
		log.Error("dealer event: apply", "err", err)
		return c.JSON(http.StatusInternalServerError, eventAnswer{Error: "try again"})
	}
	// Recorded after applying: a crash in between makes the redelivery
	// apply again, which every effect tolerates (already applied).
	if err := d.store.RecordDealerEvent(ctx, name, ev.ID, d.Now()); err != nil {
		log.Error("dealer event: record", "err", err)
		return c.JSON(http.StatusInternalServerError, eventAnswer{Error: "try again"})
	}
	log.Info("dealer event", "status", status)
	return c.JSON(http.StatusOK, eventAnswer{Status: status})
}

// malformed says why body, which failed to decode with err, is not an
// event: the field whose JSON type is wrong, an at that is not RFC 3339, or
// else "malformed JSON" (a syntax error). A dealer whose JSON is well formed
// is told which field to fix rather than to check its JSON.
func malformed(body []byte, err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return fmt.Sprintf("malformed event: %s is a JSON %s, want %s", te.Field, te.Value, jsonKind(te.Type.Kind()))
	}
	var probe struct {
		At json.RawMessage `json:"at"`
	}
	if json.Unmarshal(body, &probe) == nil && len(probe.At) > 0 {
		var at EventTime
		if at.UnmarshalJSON(probe.At) != nil {
			return "malformed event: at is not an RFC 3339 time (2026-11-28T04:00:00Z)"
		}
	}
	return "malformed JSON"
}

// jsonKind names the JSON value a Go kind decodes from.
func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Struct, reflect.Map, reflect.Pointer:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "a number"
	}
	return k.String()
}

// invalid returns why ev cannot be an event of contract v1, or "".
func (ev *DealerEvent) invalid() string {
	switch {
	case ev.Version != 1:
		return "unsupported version"
	case ev.ID == "" || len(ev.ID) > 200:
		return "missing or too long id"
	case ev.Type == "":
		return "missing type"
	}
	return ""
}

// plusfriendKey is the event's user key, or "".
func (ev *DealerEvent) plusfriendKey() string {
	if ev.User == nil {
		return ""
	}
	return ev.User.PlusfriendUserKey
}

// endReason is the handoff end reason of a session.ended: "ended:<end_type>".
func (ev *DealerEvent) endReason() string {
	switch ev.EndType {
	case "agent", "user", "system":
		return fsm.EventEnded + ":" + ev.EndType
	}
	return fsm.EventEnded
}

// apply performs ev's effect and returns the answer's status.
func (d *DealerEvents) apply(ctx context.Context, name string, route dealerRoute, ev *DealerEvent, log *slog.Logger) (string, error) {
	switch ev.Type {
	case DealerSessionStarted, DealerAgentAssigned, DealerSessionEnded:
	default:
		log.Info("dealer event of an unknown type ignored")
		return EventIgnored, nil
	}
	if ev.Type == DealerSessionEnded {
		// Remembered before the match: see openExternal.
		if err := d.rememberEnd(ctx, name, ev); err != nil {
			return "", err
		}
	}
	h, found, err := d.match(ctx, name, ev)
	if err != nil {
		return "", err
	}
	if !found {
		if ev.Type == DealerSessionEnded {
			return EventIgnored, nil
		}
		var late string
		if h, late, err = d.openExternal(ctx, name, route, ev, log); err != nil || late != "" {
			return late, err
		}
	}
	log = log.With("handoff", h.ID, "code", h.Code)
	if gone, err := d.failedOver(ctx, h, log); err != nil || gone {
		return EventIgnored, err
	}
	if !h.EndedAt.IsZero() {
		// Late news about an ended handoff (the return race, a session the
		// dealer started after a cancel) changes nothing, not even its agent:
		// an agent recorded after the end would show the handoff as taken.
		return EventAlreadyApplied, nil
	}
	var agent *store.Agent
	if a := ev.Agent; a != nil && (a.ID != "" || a.Name != "") {
		agent = &store.Agent{ID: a.ID, Name: a.Name, AssignedAt: d.Now()}
	}
	if ev.Type == DealerSessionStarted {
		// The agent goes with the accept (started), so an accept refused
		// for a failover records none.
		return d.started(ctx, h, agent, log)
	}
	if late, err := d.setAgent(ctx, h, agent, log); err != nil || late != "" {
		return late, err
	}
	switch ev.Type {
	case DealerSessionEnded:
		return d.ended(ctx, h, ev.endReason(), log)
	}
	if d.OnActivity != nil && h.EndedAt.IsZero() {
		if err := d.OnActivity(ctx, h.ID); err != nil {
			return "", err
		}
	}
	return EventApplied, nil
}

// match finds the handoff ev is about: by handoff_id when it names one of
// this dealer's handoffs, else the open handoff of the user with ev's
// plusfriend key when it targets this dealer. found is false when there is
// none; a handoff of another target is never returned.
func (d *DealerEvents) match(ctx context.Context, name string, ev *DealerEvent) (store.Handoff, bool, error) {
	target := "dealer:" + name
	if ev.HandoffID != "" {
		h, ok, err := d.store.Handoff(ctx, ev.HandoffID)
		if err != nil || (ok && h.Target == target) {
			return h, ok && err == nil, err
		}
	}
	u, ok, err := d.store.UserByPlusfriendKey(ctx, ev.plusfriendKey())
	if err != nil || !ok {
		return store.Handoff{}, false, err
	}
	h, ok, err := d.store.OpenHandoff(ctx, u.Key)
	if err != nil || !ok || h.Target != target {
		return store.Handoff{}, false, err
	}
	return h, true, nil
}

// openExternal creates an external handoff for the user with ev's plusfriend
// key, so that later events match. When it opens none, late is the event's
// answer: ignored when there is no such user, no queue targets the dealer,
// or the user has another open handoff; already_applied when ev is late
// news about a session the dealer reported ended (endedSince).
//
// A late event must not open what no session.ended will ever close: say
// the dealer's agent.assigned was answered 500 (a store hiccup) before it
// reported the session ended, and its retry (same event, same "at") comes
// after; an external handoff it opened would stay open for good, counted as
// waiting in its queue (max_waiting, every later user's position), or, from
// a session.started, as a session the queue's agents serve. So the end is
// remembered per dealer and user before the session.ended is matched
// (rememberEnd), and checked here before the insert and again after it: a
// session.ended whose match ran before the insert wrote its end before
// that, so the check after the insert sees it and closes the handoff just
// opened; one whose match runs after the insert finds the handoff and
// closes it itself.
func (d *DealerEvents) openExternal(ctx context.Context, name string, route dealerRoute, ev *DealerEvent, log *slog.Logger) (h store.Handoff, late string, err error) {
	u, ok, err := d.store.UserByPlusfriendKey(ctx, ev.plusfriendKey())
	if err != nil || !ok || route.queue == "" {
		return store.Handoff{}, EventIgnored, err
	}
	if ended, err := d.endedSince(ctx, name, u.Key, ev); err != nil || ended {
		if ended {
			log.Info("dealer event about a session the dealer reported ended; no external handoff opened")
			return store.Handoff{}, EventAlreadyApplied, nil
		}
		return store.Handoff{}, "", err
	}
	_, conv, _, err := d.store.Load(ctx, u.Key)
	if err != nil {
		return store.Handoff{}, "", err
	}
	now := d.Now()
	h = store.Handoff{
		ID: store.NewID(now), Code: Effects{}.NewCode(), UserKey: u.Key, BotID: u.BotID,
		PlusfriendKey: u.PlusfriendKey, Queue: route.queue, Target: "dealer:" + name,
		Reason: ExternalReason, MenuPath: conv.MenuPath, FAQMisses: conv.FAQMisses, Test: u.Test, CreatedAt: now,
	}
	err = d.store.OpenExternalHandoff(ctx, h, EventMsg(h.ID, EventExternal, now))
	if errors.Is(err, store.ErrConflict) {
		// Another open handoff. One of this dealer's, opened by a
		// concurrent delivery (agent.assigned and session.started sent
		// together), is this event's too; another target's is not.
		if h, found, err := d.match(ctx, name, ev); err != nil || found {
			return h, "", err
		}
		log.Info("dealer event: user has another open handoff")
		return store.Handoff{}, EventIgnored, nil
	}
	if err != nil {
		return store.Handoff{}, "", err
	}
	d.outboxWritten(true)
	log.Info("external handoff opened", "handoff", h.ID, "queue", h.Queue)
	ended, err := d.endedSince(ctx, name, u.Key, ev)
	if err != nil {
		return store.Handoff{}, "", err // answered 500; the handoff stays open for the retry (rule 2)
	}
	if ended {
		// A session.ended that found nothing to close came in meanwhile.
		at := d.Now()
		changed, err := d.store.CloseHandoff(ctx, h.ID, fsm.EventEnded, at, EventMsg(h.ID, EventEnded, at))
		d.outboxWritten(changed && err == nil)
		if err != nil {
			return store.Handoff{}, "", err
		}
		log.Info("external handoff closed: the dealer reported the session ended meanwhile", "handoff", h.ID)
		return store.Handoff{}, EventAlreadyApplied, nil
	}
	return h, "", nil
}

// rememberEnd records that dealer name reported the end of the session of
// the user a session.ended is about (the user of the handoff it names, else
// the user with its plusfriend key; nobody when Baton knows neither), so
// that a late event of that session opens no external handoff
// (openExternal). The end is the event's "at" (at most Skew ahead of
// Baton's clock), else when Baton received it.
func (d *DealerEvents) rememberEnd(ctx context.Context, name string, ev *DealerEvent) error {
	var userKey string
	if ev.HandoffID != "" {
		h, ok, err := d.store.Handoff(ctx, ev.HandoffID)
		if err != nil {
			return err
		}
		if ok && h.Target == "dealer:"+name {
			userKey = h.UserKey
		}
	}
	if userKey == "" {
		u, ok, err := d.store.UserByPlusfriendKey(ctx, ev.plusfriendKey())
		if err != nil || !ok {
			return err
		}
		userKey = u.Key
	}
	now := d.Now()
	at := now
	if !ev.At.IsZero() {
		at = ev.At.Time
		if lim := now.Add(d.Skew); at.After(lim) {
			at = lim // a clock far ahead must not shut out the user's next session
		}
	}
	return d.store.RecordDealerSessionEnd(ctx, name, userKey, at, now)
}

// endedSince reports whether dealer name reported the end of userKey's
// session, within the dedupe window, no earlier than ev happened: ev is
// then late news about the ended session (a retry delivered after the
// end). An event without "at" cannot show it is newer than a remembered
// end: it counts as late within lateWithoutAt of that end (a dealer's
// retries of an event answered 500 come within minutes), and as a new
// session after it, so a dealer that never sends "at" still gets the
// user's next session tracked.
func (d *DealerEvents) endedSince(ctx context.Context, name, userKey string, ev *DealerEvent) (bool, error) {
	end, ok, err := d.store.DealerSessionEnd(ctx, name, userKey, d.Now().Add(-d.Dedupe))
	if err != nil || !ok {
		return false, err
	}
	if ev.At.IsZero() {
		return d.Now().Sub(end) <= lateWithoutAt, nil
	}
	return ev.At.UnixMilli() <= end.UnixMilli(), nil
}

// lateWithoutAt is how long after a session.ended an event without "at"
// that would open an external handoff is taken for late news about the
// ended session (endedSince).
const lateWithoutAt = 10 * time.Minute

// held reports whether the user's conversation holds h (Baton's own handoff,
// stepped through the lifecycle) rather than h being external.
func (d *DealerEvents) held(ctx context.Context, h store.Handoff) (bool, error) {
	_, conv, found, err := d.store.Load(ctx, h.UserKey)
	if err != nil {
		return false, err
	}
	return found && conv.HandoffID == h.ID, nil
}

// started applies session.started: waiting → human for a handoff the
// conversation holds; an external handoff is only marked accepted (the
// lifecycle has no bot → human move).
func (d *DealerEvents) started(ctx context.Context, h store.Handoff, agent *store.Agent, log *slog.Logger) (string, error) {
	if !h.EndedAt.IsZero() {
		return EventAlreadyApplied, nil
	}
	held, err := d.held(ctx, h)
	if err != nil {
		return "", err
	}
	if !held {
		log.Info("dealer session on an external handoff; the conversation keeps its state")
		if late, err := d.setAgent(ctx, h, agent, log); err != nil || late != "" {
			return late, err
		}
		now := d.Now()
		changed, err := d.store.MarkHandoffAccepted(ctx, h.ID, now, EventMsg(h.ID, EventAccepted, now))
		d.outboxWritten(changed && err == nil)
		return appliedIf(changed), err
	}
	_, err = d.applyWithAgent(ctx, h, fsm.EventAccepted, fsm.ReasonDealerSession, agent, log)
	if errors.Is(err, store.ErrFailedOver) {
		// The router failed the handoff over after failedOver's check.
		log.Warn("dealer session.started on a handoff failed over to the notify sinks meanwhile ignored; the dealer should close its session")
		return EventIgnored, nil
	}
	if errors.Is(err, fsm.ErrNoTransition) {
		// Already accepted (a repeated session.started): its agent is the
		// latest assignment while the handoff stays open.
		if agent != nil {
			if _, err := d.store.SetHandoffAgent(ctx, h.ID, *agent); err != nil {
				return "", err
			}
		}
		return EventAlreadyApplied, nil
	}
	if err != nil {
		return "", fmt.Errorf("handoff: dealer session.started %s: %w", h.ID, err)
	}
	return EventApplied, nil
}

// ended applies session.ended: human (or waiting) → bot for a handoff the
// conversation holds, with reason; an external handoff is closed directly.
// A handoff already ended — by the user's return turn (the return race of
// DESIGN §5) or an earlier event — stays as it is.
func (d *DealerEvents) ended(ctx context.Context, h store.Handoff, reason string, log *slog.Logger) (string, error) {
	if !h.EndedAt.IsZero() {
		return EventAlreadyApplied, nil
	}
	held, err := d.held(ctx, h)
	if err != nil {
		return "", err
	}
	if !held {
		log.Info("external handoff closed", "reason", reason)
		now := d.Now()
		changed, err := d.store.CloseHandoff(ctx, h.ID, reason, now, EventMsg(h.ID, EventEnded, now))
		d.outboxWritten(changed && err == nil)
		return appliedIf(changed), err
	}
	_, err = d.applyFor(ctx, h, fsm.EventEnded, reason, log)
	if errors.Is(err, store.ErrFailedOver) {
		// The router failed the handoff over after failedOver's check:
		// the agents own it now.
		log.Warn("dealer session.ended on a handoff failed over to the notify sinks meanwhile ignored")
		return EventIgnored, nil
	}
	if errors.Is(err, fsm.ErrNoTransition) {
		return EventAlreadyApplied, nil
	}
	if err != nil {
		return "", fmt.Errorf("handoff: dealer session.ended %s: %w", h.ID, err)
	}
	return EventApplied, nil
}

// outboxWritten wakes the outbox relay when a write queued a message.
func (d *DealerEvents) outboxWritten(queued bool) {
	if queued && d.OnOutbox != nil {
		d.OnOutbox()
	}
}

func appliedIf(changed bool) string {
	if changed {
		return EventApplied
	}
	return EventAlreadyApplied
}
