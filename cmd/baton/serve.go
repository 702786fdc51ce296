package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/faq"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/skill"
	"github.com/baton-chat/baton/store"
	"github.com/labstack/echo/v5"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Main is `baton serve`: it owns every long-lived part and starts and stops
// them in dependency order. End-to-end tests run the real thing through it.
type Main struct {
	ConfigPath string
	Addr       string // public: POST /skill, GET /healthz
	AdminAddr  string // admin: /readyz, /metrics
	DataDir    string
	NatsURL    string // empty: embedded JetStream under DataDir/nats
	// AdminURL is the base of the signed accept/end links agents follow
	// (default "http://" + the bound admin address).
	AdminURL string
	// HolidaysDir holds the holiday calendars (<name>.yaml); empty means
	// the holidays directory beside the config file.
	HolidaysDir string
	// BackupDir receives the nightly VACUUM INTO backups (default
	// <DataDir>/backups); BackupHour is the UTC hour they are taken (-1:
	// none); BackupKeep is how many are kept.
	BackupDir  string
	BackupHour int
	BackupKeep int

	Stderr io.Writer
	Logger *slog.Logger
	// Now is the clock for turns (tests inject one); default time.Now.
	Now func() time.Time
	// RouterRetryDelay overrides the router's delay before redelivering a
	// failed delivery (tests); default its backoff (5 s, 10 s, …).
	RouterRetryDelay time.Duration
	// NotifyTimeout overrides how long a notify sink may take to answer
	// one POST (tests); default handoff.DefaultSinkTimeout (4 s), which
	// also bounds it.
	NotifyTimeout time.Duration
	// EventAPIInterval overrides how often the Event API deliverer looks
	// at pending notifications and open tasks (tests); default its 5 s.
	EventAPIInterval time.Duration
	// RelaySweep overrides how often the outbox relay looks for rows
	// nothing woke it for (tests); default handoff.DefaultRelaySweep.
	RelaySweep time.Duration
	// Env looks up the environment variables serve reads: the config's
	// ${VAR} and ${VAR:-default}, BATON_ADMIN_TOKEN, BATON_CONTACT_KEY and
	// BATON_HOURS_OVERRIDE, at start and on a reload. Nil is os.LookupEnv,
	// the process environment; tests set it to run side by side.
	Env func(name string) (string, bool)

	Config *configs.Config
	DB     *store.DB
	NC     *nats.Conn
	Skill  *skill.Server
	// Dealers are the 상담톡 dealer clients the router calls, by name; nil
	// means one handoff.DealerClient per configured dealer with a URL. A
	// queue whose dealer is missing falls back to notify sinks.
	Dealers map[string]handoff.DealerTarget
	// DealerEvents receives the dealers' signed events on the public address.
	DealerEvents *handoff.DealerEvents
	Relay        *handoff.Relay
	Router       *handoff.Router
	Links        *handoff.Links
	// Holidays are the loaded holiday calendars (Reload re-reads them).
	Holidays *handoff.Calendars
	// Hours is what the engine asks whether a queue is open: the config's
	// hours, holidays and the admin overrides (SetOverride, ClearOverride,
	// Overrides for the admin API).
	Hours *handoff.HoursControl
	// Contacts opens the contacts users leave with tickets (admin API,
	// masters only).
	Contacts *store.ContactBox
	// TimerConfig holds the durable-timer policy (a reload swaps it);
	// Timers consumes fired timers.
	TimerConfig *handoff.TimerConfig
	Timers      *handoff.TimerConsumer

	embedded *handoff.Embedded
	dataLock *os.File   // <DataDir>/baton.lock, held until Close (datalock.go)
	live     liveConfig // the config in force and its reloader (reload.go)
	publicLn net.Listener
	adminLn  net.Listener
	public   *http.Server
	admin    *http.Server
	registry *prometheus.Registry
	cancelBg context.CancelFunc
	bgCtx    context.Context // cancelled by cancelBg; for work a reload starts
	bg       sync.WaitGroup
	// repaired is closed once the start-up timer repair has run (tests wait
	// for it before they change the timer policy).
	repaired  chan struct{}
	closeOnce sync.Once
	closeErr  error

	// housekeeping runs retention and backups from sweepLoop.
	housekeeping *housekeeping

	// streamBorn is when the BATON stream that startNATS found or created
	// was created (the server's clock; zero when it could not be ensured):
	// the run-time re-drive skips the advisory of that creation, which the
	// server may deliver after Run subscribed (nats_redrive.go).
	streamBorn time.Time
}

// NewMain returns a Main with the defaults of DESIGN §8.
func NewMain() *Main {
	return &Main{
		ConfigPath: "configs/example.yaml",
		Addr:       "127.0.0.1:8080",
		AdminAddr:  "127.0.0.1:8081",
		DataDir:    "./data",
		BackupHour: DefaultBackupHour,
		BackupKeep: DefaultBackupKeep,
		Stderr:     os.Stderr,
	}
}

// ParseFlags reads the serve flags. It returns flag.ErrHelp for -h.
func (m *Main) ParseFlags(args []string) error {
	fs := flag.NewFlagSet("baton serve", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.StringVar(&m.ConfigPath, "config", m.ConfigPath, "config file")
	fs.StringVar(&m.Addr, "addr", m.Addr, "public address (POST /skill, POST /dealers/{name}/events, GET /healthz)")
	fs.StringVar(&m.AdminAddr, "admin-addr", m.AdminAddr, "admin address, keep it private (/readyz, /metrics, /debug/pprof, the agents' accept/end links /a/..., the admin API /admin/...)")
	fs.StringVar(&m.DataDir, "data", m.DataDir, "data directory (SQLite, embedded NATS)")
	fs.StringVar(&m.NatsURL, "nats", m.NatsURL, "external NATS URL (default: embedded JetStream)")
	fs.StringVar(&m.AdminURL, "admin-url", m.AdminURL, "base URL of accept/end links sent to agents (default http://<admin-addr>; required when --admin-addr binds every interface, e.g. 0.0.0.0, and links are sent)")
	fs.StringVar(&m.HolidaysDir, "holidays", m.HolidaysDir, "holiday calendar directory (default: holidays/ beside --config)")
	fs.StringVar(&m.BackupDir, "backup-dir", m.BackupDir, "directory of the nightly backups (default <data>/backups)")
	fs.IntVar(&m.BackupHour, "backup-hour", m.BackupHour, "UTC hour of the nightly backup (19 = 04:00 KST; -1: no backups)")
	fs.IntVar(&m.BackupKeep, "backup-keep", m.BackupKeep, "how many nightly backups to keep")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("baton serve: unexpected argument %q", fs.Arg(0))
	}
	if m.AdminURL != "" { // empty: the default, http://<admin-addr>
		if err := checkAdminURLFlag("baton serve", m.AdminURL); err != nil { // admin_url.go
			return err
		}
	}
	if flagSet(fs, "holidays") {
		if err := checkHolidaysFlag("baton serve", m.HolidaysDir); err != nil {
			return err
		}
	}
	return m.checkBackupFlags()
}

// Run loads the config, opens the store and NATS, and starts both HTTP
// servers. It returns once they are listening; Close stops everything.
func (m *Main) Run(ctx context.Context) error {
	if m.Logger == nil {
		m.Logger = slog.New(slog.NewJSONHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	if m.Now == nil {
		m.Now = time.Now
	}
	log := m.Logger
	cfg, err := configs.LoadWith(m.ConfigPath, configs.Options{Env: m.Env})
	if err != nil {
		return err
	}
	m.Config = cfg
	cfg.LogWarnings(log)
	if err := openSkillError(cfg, m.Addr); err != nil {
		return fmt.Errorf("baton serve: %w; set BATON_SKILL_TOKEN", err)
	}

	if err := checkDataDir(m.DataDir, m.NatsURL == ""); err != nil { // datadir_check.go
		return err
	}
	if m.dataLock, err = lockDataDir(m.DataDir); err != nil {
		return err
	}
	if m.DB, err = store.Open(ctx, filepath.Join(m.DataDir, "baton.db"), store.Options{Logger: log, CacheSize: serveCacheSize,
		TicketEvent: handoff.TicketEventMsg}); err != nil {
		return err
	}
	if err := m.checkLinkBase(ctx, cfg); err != nil { // admin_url.go
		return err
	}
	// Before anything reads a delivery: records an older baton keyed by a
	// sink's place in the notify list take the sink's id, once.
	if n, err := m.DB.AdoptSinkNames(ctx, handoff.LegacySinkNames(cfg.Notify)); err != nil {
		return fmt.Errorf("baton serve: %w", err)
	} else if n > 0 {
		log.Info("notify: delivery records renamed from list places to sink ids (upgrade)", "records", n)
	}
	if err := m.startNATS(ctx); err != nil {
		return err
	}
	if err := m.startHours(ctx, cfg); err != nil {
		return err
	}
	engine, err := buildEngine(cfg, m.Config.EventAPI, m.Hours, handoff.NewCapacity(m.DB, log))
	if err != nil {
		return err
	}
	m.live.engine.Store(engine)
	js, err := jetstreamNew(m.NC)
	if err != nil {
		return err
	}
	m.Relay = handoff.NewRelay(m.DB, js, log)
	if m.RelaySweep > 0 {
		m.Relay.Sweep = m.RelaySweep
	}
	linkKey, err := handoff.LinkSigningKey(m.DataDir)
	if err != nil {
		return err
	}
	oldLinkKey, err := handoff.LinkKey(m.DataDir, m.adminToken()) // links sent before link.key signed them
	if err != nil {
		return err
	}
	contactKey, err := store.ContactKey(m.DataDir, m.getenv(store.ContactKeyEnv))
	if err != nil {
		return err
	}
	if m.Contacts, err = store.NewContactBox(contactKey); err != nil {
		return err
	}

	m.registry = prometheus.NewRegistry()
	m.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		buildInfoGauge(readBuildInfo()))
	registerStoreMetrics(m.registry, m.DB)
	m.registry.MustRegister(newMemoryCollector())
	m.registry.MustRegister(m.Holidays.Collector())
	m.housekeeping = newHousekeeping(m.DB, log, m.Now, m.CurrentConfig, m.backupDir(), m.BackupHour, m.BackupKeep, m.registry)
	m.TimerConfig = handoff.NewTimerConfig(handoff.NewTimerPolicy(cfg, engine.Hours()))
	// The Event API cannot send a kind without a rest_api_key, without its
	// event name, or with daily_budget_won 0 (ticketReplyOff's rule): every
	// message would be skipped over the budget.
	noEventBudget := cfg.EventAPI.DailyBudgetWon <= 0
	effects := handoff.Effects{Contacts: m.Contacts, Timers: m.TimerConfig,
		NoCSATEvent:        noEventBudget || !cfg.EventAPI.Sends(store.NotifyCSAT),
		NoWaitTimeoutEvent: noEventBudget || !cfg.EventAPI.Sends(store.NotifyWaitTimeout)}
	m.Skill = skill.NewServer(log, engine, m.DB, effects, skill.NewMetrics(m.registry), skill.Options{
		Tokens:          cfg.Kakao.Tokens,
		TokenHeader:     cfg.Kakao.TokenHeader,
		SoftDeadline:    cfg.Server.SoftDeadline.D(),
		HardDeadline:    cfg.Server.HardDeadline.D(),
		RateTurns:       cfg.Server.RateLimit.Turns,
		RatePer:         cfg.Server.RateLimit.Per.D(),
		RateBurst:       cfg.Server.RateLimit.Burst,
		FallbackText:    cfg.Texts.Fallback,
		FallbackButton:  cfg.Texts.FallbackButton,
		GroupFallback:   cfg.Texts.GroupFallback,
		RateLimitedText: cfg.Texts.RateLimited,
		Callbacks:       handoff.NewCallbackClient(cfg.Callback.Hosts),
		CallbackText:    cfg.Texts.CallbackWait,
		Now:             m.Now,
		OnOutbox:        m.Relay.Wake,
		OnCommitted:     m.Relay.Committed,
		Notices:         handoff.Notices{DB: m.DB, StaleAfter: cfg.EventAPI.StaleAfter.D()},
	})

	if m.publicLn, err = net.Listen("tcp", m.Addr); err != nil {
		return fmt.Errorf("baton serve: listen %s: %w", m.Addr, err)
	}
	if m.adminLn, err = net.Listen("tcp", m.AdminAddr); err != nil {
		return fmt.Errorf("baton serve: listen admin %s: %w", m.AdminAddr, err)
	}
	adminURL := m.AdminURL
	if adminURL == "" {
		// The bound address: checkLinkBase refused to start when it binds
		// every interface (no host an agent's browser could open) and
		// anything sends links.
		adminURL = "http://" + m.adminLn.Addr().String()
	}
	m.Links = handoff.NewLinks(linkKey, adminURL).AcceptOld(oldLinkKey)
	m.Links.Texts = func() configs.Texts { return m.CurrentConfig().Texts } // per page: a reload applies
	if m.Dealers == nil {
		m.Dealers = map[string]handoff.DealerTarget{}
		for name, d := range cfg.Dealers {
			if d.URL == "" {
				log.Info("dealer disabled: empty url", "dealer", name)
				continue
			}
			m.Dealers[name] = handoff.NewDealerClient(name, d, cfg.Bot.Name, m.DB)
		}
	}
	// 상담톡 dealers report session.started / agent.assigned / session.ended
	// on the public address (contract v1, docs/dealer-contract.md).
	m.DealerEvents = handoff.NewDealerEvents(log, cfg, m.DB, m.Skill)
	m.DealerEvents.Register(m.Skill.Echo())
	var sinkClient *http.Client // nil: handoff.NewSinks' default
	if m.NotifyTimeout > 0 {
		sinkClient = handoff.SinkClient(m.NotifyTimeout)
	}
	sinks := handoff.NewSinks(cfg.Notify, sinkClient, log)
	handoff.SetSinkTexts(sinks, func() configs.Texts { return m.CurrentConfig().Texts }) // per message: a reload applies
	m.Router = handoff.NewRouter(m.DB, js, sinks, log,
		handoff.RouterOptions{Dealers: m.Dealers, Links: m.Links, Contacts: m.Contacts, Now: m.Now,
			RetryDelay: m.RouterRetryDelay, DealerFailoverAfter: m.dealerFailoverAfter, OnOutbox: m.Relay.Wake})
	m.registry.MustRegister(m.Router.Collectors()...)
	m.logNotifyWarning(log, cfg)
	m.Timers = handoff.NewTimerConsumer(m.DB, js, m.Skill, m.TimerConfig, log,
		handoff.TimerOptions{Now: m.Now, OnOutbox: m.Relay.Wake})
	m.registry.MustRegister(m.Timers.Collectors()...)
	m.DealerEvents.OnActivity = m.Timers.RefreshIdle
	m.DealerEvents.OnOutbox = m.Relay.Wake
	m.registry.MustRegister(m.Relay.Collectors()...)
	registerConsumerMetrics(m.registry, js)
	m.public = &http.Server{Handler: m.Skill.Handler(), ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	adminHandler, err := m.adminHandler()
	if err != nil {
		return err
	}
	m.admin = &http.Server{Handler: adminHandler, ReadHeaderTimeout: 5 * time.Second}
	// Set before the servers start: an admin reload reads them.
	bgCtx, cancel := context.WithCancel(context.Background())
	m.cancelBg = cancel
	m.bgCtx = bgCtx
	m.repaired = make(chan struct{})
	// Before the router, the timers and the relay run: any of them may
	// create a missing stream (nats_redrive.go).
	if err := m.watchNewStream(bgCtx); err != nil {
		log.Warn("nats: a stream lost while running is re-driven only at the next start", "err", err)
	}
	for _, s := range []struct {
		srv *http.Server
		ln  net.Listener
	}{{m.public, m.publicLn}, {m.admin, m.adminLn}} {
		go func() {
			if err := s.srv.Serve(s.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Error("http server stopped", "addr", s.ln.Addr().String(), "err", err)
			}
		}()
	}
	m.bg.Go(func() { m.sweepLoop(bgCtx) })
	m.bg.Go(func() { _ = m.Relay.Run(bgCtx) })
	m.bg.Go(func() {
		if err := m.Router.Run(bgCtx); err != nil {
			log.Error("router stopped", "err", err)
		}
	})
	m.startEventAPI(bgCtx)
	m.bg.Go(func() {
		if n, err := m.Timers.Repair(bgCtx); err != nil {
			log.Warn("timers: repair", "err", err)
		} else if n > 0 {
			log.Info("timers: scheduled missing timers", "conversations", n)
		}
		close(m.repaired)
		if err := m.Timers.Run(bgCtx); err != nil {
			log.Error("timers stopped", "err", err)
		}
	})
	log.Info("baton serving", "addr", m.PublicAddr(), "admin", m.AdminAddrBound(), "config", cfg.Path,
		"config_version", cfg.Version, "data", m.DataDir, "nats", natsMode(m.NatsURL))
	return nil
}

// buildEngine compiles the FAQ index and the conversation engine for cfg,
// asking hours whether a queue is open and capacity how many wait in it.
// running is the Event API the process started with (event_api is read only
// at start-up): without a reopen event it can send, the engine offers no
// 열리면 알려주세요; when it cannot send ticket answers, the engine's texts
// promise none (ticketReplyOff).
func buildEngine(cfg *configs.Config, running configs.EventAPI, hours fsm.Hours, capacity fsm.Capacity) (*fsm.Engine, error) {
	idx, err := faq.New(cfg.FAQEntries(), faq.Options{})
	if err != nil {
		return nil, fmt.Errorf("baton serve: build faq index: %w", err)
	}
	e, err := fsm.New(cfg, idx, fsm.Options{Hours: hours, Capacity: capacity,
		NoReopen: !running.Sends(store.NotifyReopen), NoTicketReply: ticketReplyOff(running) != ""})
	if err != nil {
		return nil, fmt.Errorf("baton serve: build engine: %w", err)
	}
	return e, nil
}

// startNATS starts the embedded JetStream node (or connects to --nats) and
// makes sure the BATON stream exists. When there is none (a new or lost
// JetStream store), it queues every waiting handoff's request again in the
// outbox before it creates the stream (redriveWaitingHandoffs; m.DB is
// open). An external NATS that is down is not fatal: Baton serves turns
// and the outbox holds until it is back.
func (m *Main) startNATS(ctx context.Context) error {
	var err error
	replicas := 1
	if m.NatsURL == "" {
		if m.embedded, err = m.startEmbeddedNATS(filepath.Join(m.DataDir, "nats")); err != nil { // nats_damage.go
			return err
		}
		if m.NC, err = m.embedded.Connect("baton"); err != nil {
			return err
		}
	} else {
		if m.NC, err = handoff.Connect(m.NatsURL, "baton", m.Logger); err != nil {
			return err
		}
		replicas = handoff.StreamReplicas(m.NC) // a standalone server refuses R3
	}
	js, err := jetstreamNew(m.NC)
	if err != nil {
		return err
	}
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, serr := js.Stream(sctx, handoff.StreamName); errors.Is(serr, jetstream.ErrStreamNotFound) {
		// A new or lost JetStream store: the requests the router had not
		// finished with went with it. They are queued again before the
		// stream exists, so that a start failing after this point (a bad
		// setting read later, SIGTERM, a crash) still finds them in the
		// outbox next time: once the stream exists, the next start would
		// not know it had been lost (nats_redrive.go).
		n, err := m.redriveWaitingHandoffs(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			m.Logger.Warn("nats: new stream; waiting handoffs' requests queued again", "handoffs", n)
		}
	}
	stream, err := handoff.EnsureStream(sctx, js, replicas)
	if err != nil {
		if m.NatsURL == "" {
			return err
		}
		m.Logger.Warn("nats: stream not ready; continuing degraded", "err", err)
		return nil
	}
	m.streamBorn = stream.CachedInfo().Created
	return nil
}

// adminHandler serves /readyz, /metrics, the accept/end links and the admin
// API (/admin/...) on the admin address.
func (m *Main) adminHandler() (http.Handler, error) {
	// Without the catch-all 404 routes echo adds for a group with
	// middleware, a wrong method on an /admin route answers 405 (with
	// Allow) rather than 404, as on the other routes; an unknown /admin
	// path is still 404. Both only to an authenticated caller: admin.Register
	// authenticates everything under /admin before the router's answer.
	e := echo.NewWithConfig(echo.Config{NoGroupAutoRegister404Routes: true})
	e.Logger = m.Logger
	e.HTTPErrorHandler = adminErrorHandler(m.Logger) // admin_errors.go
	e.GET("/readyz", func(c *echo.Context) error {
		ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
		defer cancel()
		status, code := "ok", http.StatusOK
		storeStatus, natsStatus := "ok", "ok"
		if err := m.DB.ReadDB().PingContext(ctx); err != nil {
			storeStatus, status, code = err.Error(), "failed", http.StatusServiceUnavailable
		} else if err := m.DB.Err(); err != nil {
			storeStatus, status, code = err.Error(), "failed", http.StatusServiceUnavailable
		} else if err := m.DB.CheckWrites(ctx); err != nil { // no commit since a failed batch
			storeStatus, status, code = err.Error(), "failed", http.StatusServiceUnavailable
		}
		if natsStatus = m.natsReadiness(ctx); natsStatus != "ok" { // readyz_nats.go
			if status == "ok" {
				status = "degraded" // the outbox holds handoffs until NATS is back
			}
		}
		return c.JSON(code, map[string]string{"status": status, "store": storeStatus, "nats": natsStatus, "config_version": m.CurrentConfig().Version,
			"holidays": m.holidaysStatus(), "notify": m.notifyStatus()}) // warnings only: the status stays
	})
	e.GET("/metrics", echo.WrapHandler(promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})))
	// Go profiles for operators, on the admin address only.
	// Index serves the named profiles (heap, goroutine, block, mutex,
	// allocs, threadcreate); the others have handlers of their own.
	e.GET("/debug/pprof/*", echo.WrapHandler(http.HandlerFunc(pprof.Index)))
	e.GET("/debug/pprof/profile", echo.WrapHandler(http.HandlerFunc(pprof.Profile)))
	e.GET("/debug/pprof/trace", echo.WrapHandler(http.HandlerFunc(pprof.Trace)))
	e.GET("/debug/pprof/cmdline", echo.WrapHandler(http.HandlerFunc(pprof.Cmdline)))
	e.Any("/debug/pprof/symbol", echo.WrapHandler(http.HandlerFunc(pprof.Symbol)))
	// The agents' links: a GET only shows the handoff and a button (a link
	// previewer's fetch changes nothing); the button's POST applies the
	// link. HEAD, like any other method, answers 405.
	link := m.Links.Handler(m.DB, m.Skill, m.Logger)
	serveLink := func(c *echo.Context) error {
		link(c.Response(), c.Request(), c.Param("token"))
		return nil
	}
	e.GET("/a/:token", serveLink)
	e.POST("/a/:token", serveLink)
	if err := m.registerAdmin(e); err != nil {
		return nil, err
	}
	return e, nil
}

// sweepLoop does the periodic housekeeping of the serving process.
func (m *Main) sweepLoop(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			m.Skill.SweepRateLimits()
			if _, err := m.Hours.Prune(ctx); err != nil {
				m.Logger.Warn("prune hours overrides", "err", err)
			}
			if n, err := m.DealerEvents.Prune(ctx); err != nil {
				m.Logger.Warn("prune dealer events", "err", err)
			} else if n > 0 {
				m.Logger.Debug("pruned dealer events", "rows", n)
				m.housekeeping.countDeleted("dealer_events", n)
			}
			m.housekeeping.tick(ctx, m.Now())
		}
	}
}

// PublicAddr is the bound public address (useful with port 0).
func (m *Main) PublicAddr() string {
	if m.publicLn == nil {
		return ""
	}
	return m.publicLn.Addr().String()
}

// AdminAddrBound is the bound admin address.
func (m *Main) AdminAddrBound() string {
	if m.adminLn == nil {
		return ""
	}
	return m.adminLn.Addr().String()
}

// Close drains in dependency order: stop taking turns (in-flight turns
// finish and commit), then background loops, the store, NATS. Idempotent.
func (m *Main) Close() error {
	m.closeOnce.Do(func() {
		var errs []error
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if m.public != nil {
			// Stop taking turns first, then give callbacks in flight the
			// rest of the grace period; those still out are logged as lost.
			if err := m.public.Shutdown(ctx); err != nil {
				errs = append(errs, fmt.Errorf("baton: shutdown http: %w", err))
			}
			m.Skill.Drain(ctx)
		}
		for _, s := range []*http.Server{m.admin} {
			if s != nil {
				if err := s.Shutdown(ctx); err != nil {
					errs = append(errs, fmt.Errorf("baton: shutdown http: %w", err))
				}
			}
		}
		if m.cancelBg != nil {
			// Stops the sweeps, the outbox relay and the router (in-flight
			// deliveries finish and are recorded) before the store closes.
			m.cancelBg()
			m.bg.Wait()
		}
		if m.DB != nil {
			if err := m.DB.Close(); err != nil {
				errs = append(errs, err)
			}
		}
		if m.NC != nil {
			_ = m.NC.Drain()
		}
		if m.embedded != nil {
			m.embedded.Shutdown()
		}
		if m.dataLock != nil {
			_ = m.dataLock.Close() // releases the lock, last
		}
		m.closeErr = errors.Join(errs...)
		if m.Logger != nil {
			m.Logger.Info("baton stopped")
		}
	})
	return m.closeErr
}

func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func natsMode(url string) string {
	if url == "" {
		return "embedded"
	}
	return "external"
}

// adminToken is BATON_ADMIN_TOKEN trimmed, as the admin API reads it (an
// env file's stray space or newline): every use of the token takes this
// value, so a blank one is unset everywhere and keys nothing (a key
// derived from "   " would be one anyone can compute).
func (m *Main) adminToken() string {
	return strings.TrimSpace(m.getenv("BATON_ADMIN_TOKEN"))
}

// getenv is os.Getenv through m.Env: the value of name, "" when unset.
func (m *Main) getenv(name string) string {
	lookup := m.Env
	if lookup == nil {
		lookup = os.LookupEnv
	}
	v, _ := lookup(name)
	return v
}
