package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/admin"
	"github.com/baton-chat/baton/store"
	"github.com/labstack/echo/v5"
)

// liveConfig is the config in force, swapped by Reload.
type liveConfig struct {
	cfg      atomic.Pointer[configs.Config]
	engine   atomic.Pointer[fsm.Engine] // the engine built from cfg
	reloader *admin.ConfigReloader
}

// CurrentConfig returns the config in force: Config until the first reload.
func (m *Main) CurrentConfig() *configs.Config {
	if c := m.live.cfg.Load(); c != nil {
		return c
	}
	return m.Config
}

// Reload re-reads the config file, validates it, refuses to drop a queue
// that has open handoffs, then builds the new engine and swaps it in for
// the turns that start afterwards; every attempt is recorded in the reload
// history. by names who asked (an admin token id, "SIGHUP"). It returns
// the attempt as recorded, and *admin.InvalidConfigError,
// *admin.QueueInUseError or another error.
func (m *Main) Reload(ctx context.Context, by string) (store.Reload, error) {
	if m.live.reloader == nil {
		return store.Reload{}, fmt.Errorf("baton: reload: not serving")
	}
	return m.live.reloader.Reload(ctx, by)
}

// applyConfig builds the engine for cfg and swaps it, and the skill tokens,
// into the skill server. Sections read only at start-up are named in the
// returned note. A config without tokens on a non-loopback --addr is
// refused as invalid, as serve refuses it at start-up, and so is one that
// points a queue at a dealer the running process does not have (dealers
// are read only at start-up).
func (m *Main) applyConfig(cfg *configs.Config) (string, error) {
	if err := openSkillError(cfg, m.Addr); err != nil {
		return "", &admin.InvalidConfigError{Err: fmt.Errorf("%w; the config in force stays", err)}
	}
	if err := unreachableDealerError(m.CurrentConfig(), cfg, m.Dealers); err != nil {
		return "", &admin.InvalidConfigError{Err: fmt.Errorf("%w; the config in force stays", err)}
	}
	// Holiday files are re-read with the config (a company calendar edited
	// beside it takes effect too); a calendar the new config names but no
	// file has refuses the reload and keeps the old ones, and so does any
	// later refusal (undo). A calendar only the old config named may be gone.
	undo, err := m.Holidays.Reload(handoff.ConfigCalendars(cfg)...)
	if err != nil {
		return "", fmt.Errorf("holidays: %w", err)
	}
	hours, err := handoff.NewHours(cfg, m.Holidays, handoff.Override(m.getenv("BATON_HOURS_OVERRIDE")))
	if err != nil {
		undo()
		return "", err
	}
	engine, err := buildEngine(cfg, m.Config.EventAPI, m.Hours, handoff.NewCapacity(m.DB, m.Logger))
	if err != nil {
		undo()
		return "", err
	}
	cur := m.CurrentConfig()
	m.Hours.SetHours(hours)
	m.TimerConfig.Set(handoff.NewTimerPolicy(cfg, engine.Hours()))
	m.repairIdleAfterReload(cur, cfg) // idle_repair.go
	m.Skill.Swap(engine)
	m.Skill.SetTokens(cfg.Kakao.TokenHeader, cfg.Kakao.Tokens)
	m.live.cfg.Store(cfg)
	m.live.engine.Store(engine)
	if m.DealerEvents != nil {
		m.DealerEvents.Reload(dealerEventsConfig(m.Config, cfg))
	}
	m.logNotifyWarning(m.Logger, cfg)
	// Compared with the config serve started with, not the previous
	// reload's: a section stays stale until a restart.
	if stale := restartSections(m.Config, cfg); len(stale) > 0 {
		m.Logger.Warn("config reloaded; some sections apply only after a restart", "sections", strings.Join(stale, ","))
		return "restart needed for: " + strings.Join(stale, ", "), nil
	}
	return "", nil
}

// unreachableDealerError refuses b when one of its queues gets a target
// "dealer:<name>" (new, or changed from a's) whose dealer the running
// process lacks: running holds the dealer clients serve started with. A
// queue whose target is unchanged stays as start-up accepted it.
func unreachableDealerError(a, b *configs.Config, running map[string]handoff.DealerTarget) error {
	var bad []string
	for q, qc := range b.Handoff.Queues {
		name, isDealer := strings.CutPrefix(qc.Target, "dealer:")
		if !isDealer {
			continue
		}
		if _, ok := running[name]; ok {
			continue
		}
		if old, had := a.Handoff.Queues[q]; had && old.Target == qc.Target {
			continue
		}
		bad = append(bad, fmt.Sprintf("queue %q: dealer %q", q, name))
	}
	if len(bad) == 0 {
		return nil
	}
	slices.Sort(bad)
	return fmt.Errorf("%s: not running (dealers are read only at start-up): restart to use it, or keep the queue's target", strings.Join(bad, ", "))
}

// restartSections names the config sections that differ between a (the
// config serve started with) and b but are read only when serve starts
// (deadlines, dealers, sinks, the Event API and callback hosts, the
// callback wait text, the bot name the dealer clients send). kakao is not
// one: applyConfig swaps the tokens and their header, and consultation is
// read only by validation; nor is retention: the retention jobs read the
// config in force at each run.
func restartSections(a, b *configs.Config) []string {
	var out []string
	for _, s := range []struct {
		name string
		x, y any
	}{
		{"server", a.Server, b.Server},
		{"texts.fallback", [4]string{a.Texts.Fallback, a.Texts.FallbackButton, a.Texts.RateLimited, a.Texts.GroupFallback},
			[4]string{b.Texts.Fallback, b.Texts.FallbackButton, b.Texts.RateLimited, b.Texts.GroupFallback}},
		{"texts.callback_wait", a.Texts.CallbackWait, b.Texts.CallbackWait},
		{"bot.name", a.Bot.Name, b.Bot.Name},
		{"dealers", a.Dealers, b.Dealers},
		{"notify", runningSinks(a.Notify), runningSinks(b.Notify)},
		{"event_api", a.EventAPI, b.EventAPI},
		{"callback", a.Callback, b.Callback},
	} {
		if !reflect.DeepEqual(s.x, s.y) {
			out = append(out, s.name)
		}
	}
	return out
}

// sinkSettings is what a running notify sink is built from
// (handoff.NewSinks), its id aside.
type sinkSettings struct {
	Kind, URL, Secret string
	PII, Closed       bool
}

// runningSinks returns the notify sinks of ns that serve runs (a url set),
// keyed by id (configs.Notify.SinkID) with the settings they are built
// from. Neither their order in the list, nor an edit of a sink that is off,
// nor spelling out what a sink has anyway (its derived id, send_closed at
// its kind's default) changes it: the router names every record by id
// (docs/notify-webhook.md §5), so the list serve started with, in its own
// order, is the same set of sinks (docs/ops.md, reloading).
func runningSinks(ns []configs.Notify) map[string]sinkSettings {
	out := map[string]sinkSettings{}
	for _, n := range ns {
		if n.URL != "" {
			out[n.SinkID()] = sinkSettings{Kind: n.Kind, URL: n.URL, Secret: n.Secret, PII: n.PII, Closed: n.ClosedOn()}
		}
	}
	return out
}

// registerAdmin mounts the admin API (/admin/...) on e. Tickets and hours
// overrides are wired by the integrator once their store APIs exist.
func (m *Main) registerAdmin(e *echo.Echo) error {
	js, err := jetstreamNew(m.NC)
	if err != nil {
		return err
	}
	// Trimmed, as admin.New reads it: a blank token keys nothing.
	token := m.adminToken()
	warnWeakAdminToken(m.Logger, token) // admin_token.go
	linkKey, err := handoff.LinkKey(m.DataDir, token)
	if err != nil {
		return err
	}
	mac := hmac.New(sha256.New, linkKey)
	mac.Write([]byte("baton access-log subject v1"))
	m.live.reloader = &admin.ConfigReloader{
		Path:    m.ConfigPath,
		DB:      m.DB,
		Current: m.CurrentConfig,
		Apply:   m.applyConfig,
		// As `baton validate`: a calendar that is neither built in nor a
		// file in the holidays directory is a config error at its name.
		Load: func(path string) (*configs.Config, error) {
			return loadWithCalendarsOpts(path, m.Holidays.Dir(), configs.Options{Env: m.Env})
		},
		Now:    m.Now,
		Logger: m.Logger,
	}
	g := admin.New(m.DB, m.Logger, admin.Options{
		BootstrapToken: token,
		SubjectKey:     mac.Sum(nil),
		Reloader:       m,
		Purger:         handoff.NewPurger(js),
		Users:          m.Skill,
		Hours:          hoursAdmin{m.Hours},
		Queues:         func() []string { return m.Hours.Hours().Queues() },
		// As the hours read it (NewHours validated it at start).
		EnvHoursOverride: handoff.Override(m.getenv("BATON_HOURS_OVERRIDE")),
		Tickets:          ticketsAdmin{db: m.DB, engine: m.live.engine.Load, events: m.Config.EventAPI},
		Contacts:         m.Contacts,
		Lifecycle:        m.Skill,
		Links:            m.Links,
		Now:              m.Now,
		OnOutbox:         m.Relay.Wake,

		// Read per request: a reload may change retention.contacts.
		ContactsRetention: func() time.Duration { return m.CurrentConfig().Retention.Contacts.D() },
	}).Register(e)
	g.GET("/report/unanswered", m.unansweredReport, admin.NoBody)
	if token == "" {
		m.Logger.Info("admin API: BATON_ADMIN_TOKEN is empty; only stored tokens authenticate")
	}
	return nil
}

// hoursAdmin adapts the hours overrides to the admin API's Hours.
type hoursAdmin struct{ ctl *handoff.HoursControl }

func (h hoursAdmin) SetOverride(ctx context.Context, queue string, mode handoff.Override, until time.Time, by string) error {
	return adminErr(h.ctl.SetOverride(ctx, queue, mode, until, by))
}

func (h hoursAdmin) ClearOverride(ctx context.Context, queue string) error {
	return adminErr(h.ctl.ClearOverride(ctx, queue))
}

func (h hoursAdmin) Overrides(ctx context.Context) ([]admin.HoursOverride, error) {
	os, err := h.ctl.Overrides(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]admin.HoursOverride, 0, len(os))
	for _, o := range os {
		out = append(out, admin.HoursOverride{Queue: o.Queue, Mode: o.Mode, Until: o.Until, By: o.SetBy})
	}
	return out, nil
}

// adminErr marks an unknown queue as the admin API's not-found.
func adminErr(err error) error {
	if errors.Is(err, handoff.ErrUnknownQueue) {
		return fmt.Errorf("%w: %w", admin.ErrNotFound, err)
	}
	return err
}

// ticketsAdmin adapts the store's ticket workflow to the admin API's Tickets.
type ticketsAdmin struct {
	db *store.DB
	// engine is the engine in force: its ticket_reply message bounds an
	// answer's length.
	engine func() *fsm.Engine
	// events is the Event API serve started with: whether an answer can
	// reach the user (AnswerDelivery).
	events configs.EventAPI
}

func (t ticketsAdmin) TicketByID(ctx context.Context, id string) (store.Ticket, bool, error) {
	return t.db.TicketByID(ctx, id)
}

func (t ticketsAdmin) ListTickets(ctx context.Context, f store.TicketFilter) ([]store.Ticket, error) {
	return t.db.ListTickets(ctx, f)
}

func (t ticketsAdmin) AssignTicket(ctx context.Context, id, assignee string, at time.Time) error {
	return ticketErr(t.db.AssignTicket(ctx, id, assignee, at))
}

// AnswerTicket records the answer; the pending ticket_reply notification it
// adds is delivered by the Event API deliverer.
func (t ticketsAdmin) AnswerTicket(ctx context.Context, id, answer string, at time.Time) error {
	if err := checkTicketAnswer(t.engine(), answer); err != nil {
		return err
	}
	_, err := t.db.AnswerTicket(ctx, id, answer, at)
	return ticketErr(err)
}

func (t ticketsAdmin) CloseTicket(ctx context.Context, id string, at time.Time) error {
	return ticketErr(t.db.CloseTicket(ctx, id, at))
}

// ticketErr maps the store's ticket errors to the admin API's.
func ticketErr(err error) error {
	switch {
	case errors.Is(err, store.ErrTicketNotFound):
		return fmt.Errorf("%w: %w", admin.ErrNotFound, err)
	case errors.Is(err, store.ErrTicketState):
		return fmt.Errorf("%w: %w", store.ErrConflict, err)
	}
	return err
}

// unansweredReport serves GET /admin/report/unanswered?since=7d&limit=20:
// the bot master's unanswered-questions report (the same as baton report),
// its times in the time zone of the config in force (hoursZone).
func (m *Main) unansweredReport(c *echo.Context) error {
	since, limit := configs.Duration(7*24*time.Hour), 20
	if v := c.QueryParam("since"); v != "" {
		d, err := configs.ParseDuration(v)
		if err != nil || d <= 0 {
			return c.JSON(http.StatusBadRequest, map[string]string{"error": "since must be a positive duration like 7d or 12h"})
		}
		since = d
	}
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > reportLimitMax {
			return c.JSON(http.StatusBadRequest, map[string]string{"error": fmt.Sprintf("limit must be 1 to %d", reportLimitMax)})
		}
		limit = n
	}
	rep, err := m.DB.UnansweredReport(c.Request().Context(), m.Now().Add(-since.D()), limit)
	if err == nil {
		var loc *time.Location
		if loc, err = hoursZone(m.CurrentConfig()); err == nil {
			rep = reportIn(rep, loc) // RFC 3339 in the config's zone, as baton report --format json
		}
	}
	if err != nil {
		m.Logger.Error("admin: unanswered report", "err", err)
		return c.JSON(http.StatusInternalServerError, map[string]string{"error": "report failed"})
	}
	return c.JSON(http.StatusOK, rep)
}
