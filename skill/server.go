package skill

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/baton-chat/baton/internal/stagetrace"
	"github.com/baton-chat/baton/store"
)

// MaxBody is the largest /skill request body accepted; larger gets 413.
const MaxBody = 64 << 10

// Options configure a Server. Zero values take the documented defaults.
type Options struct {
	// Tokens are the accepted values of TokenHeader; empty means open.
	// SetTokens replaces both while serving.
	Tokens      []string
	TokenHeader string // default X-Baton-Token
	// SoftDeadline: a turn still running then, with a callbackUrl and a
	// Callbacks client, answers useCallback and finishes through the
	// callback. Default 2.5 s.
	SoftDeadline time.Duration
	// HardDeadline: a turn still running then gets the fallback. Default 3 s.
	HardDeadline time.Duration
	// RateTurns per RatePer with RateBurst per user; default 10 / 10 s, burst 5.
	RateTurns int
	RatePer   time.Duration
	RateBurst int
	// Callbacks, when set, lets turns with a callbackUrl finish through it.
	Callbacks Callbacks
	// CallbackText is shown while a callback answer is on its way.
	CallbackText string
	// FallbackText and FallbackButton make the stateless fallback bubble;
	// RateLimitedText answers a turn over the rate limit.
	FallbackText, FallbackButton, RateLimitedText string
	// GroupFallback is the fallback text in a group chat, sent without the
	// operator button (see GroupFallback). Blank: a Korean default.
	GroupFallback string
	// Now is the clock (tests inject one). Default time.Now.
	Now func() time.Time
	// OnOutbox, when set, is called after every commit that wrote outbox
	// rows (it wakes the outbox relay); it must not block.
	OnOutbox func()
	// OnCommitted, when set, is called instead of OnOutbox with the outbox
	// rows a commit wrote, after the commit (the relay publishes them
	// without reading the outbox); it must not block or keep the slice.
	OnCommitted func([]store.OutboxMsg)
	// Notices, when set, gives event block turns the content of their
	// Event API message; without it event blocks answer nothing.
	Notices Notices
}

// Server is Baton's public HTTP surface: POST /skill and GET /healthz.
type Server struct {
	logger    *slog.Logger
	opts      Options
	store     Conversations
	handoffs  Handoffs
	limiter   *limiter
	locks     *userLocks
	metrics   *Metrics
	now       func() time.Time
	current   atomic.Pointer[bundle]
	echo      *echo.Echo
	tokens    atomic.Pointer[tokenSet] // SetTokens swaps it (tokens.go)
	callbacks Callbacks
	// cbBudget is callbackBudget (tests shorten it: export_test.go).
	cbBudget  time.Duration
	inflight  countingGroup
	waiting   *waitingView
	fallbacks fallbackLog // which fallback answers are logged at ERROR (fallback_log.go)
	// unknownBlocks: block names logged as sending no utterance (unknown_block.go)
	unknownBlocks unknownBlockLog
}

// Callbacks delivers a late answer to Kakao's one-time callbackUrl.
// *handoff.CallbackClient satisfies it. Allowed must be false for any URL
// Post would refuse; Post must never log or return the URL.
type Callbacks interface {
	Allowed(callbackURL string) bool
	Post(ctx context.Context, callbackURL string, body []byte) error
}

// callbackBudget is how long a callback turn may take in all: the callback
// URL is valid for about a minute; leave margin. Its POST then gets
// callbackPostGrace more, on a context of its own: posted under the turn's,
// the fallback of a turn that used up its budget (a stalled store, a user
// lock held by a stuck turn) could never go out, and the user would look
// at the waiting bubble for good.
const (
	callbackBudget    = 45 * time.Second
	callbackPostGrace = 10 * time.Second
)

// NewServer returns a Server answering with engine e. metrics may be nil.
func NewServer(logger *slog.Logger, e Engine, conv Conversations, h Handoffs, m *Metrics, opts Options) *Server {
	if opts.SoftDeadline <= 0 {
		opts.SoftDeadline = 2500 * time.Millisecond
	}
	if opts.HardDeadline <= 0 {
		opts.HardDeadline = 3 * time.Second
	}
	if opts.RateTurns == 0 {
		opts.RateTurns, opts.RatePer, opts.RateBurst = 10, 10*time.Second, 5
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if m == nil {
		m = NewMetrics(nil)
	}
	s := &Server{
		logger:    logger.With("component", "skill"),
		cbBudget:  callbackBudget,
		opts:      opts,
		store:     conv,
		handoffs:  h,
		limiter:   newLimiter(opts.RateTurns, opts.RatePer, opts.RateBurst),
		locks:     newUserLocks(),
		metrics:   m,
		now:       opts.Now,
		callbacks: opts.Callbacks,
		waiting:   newWaitingView(conv),
	}
	s.waiting.logger = s.logger
	s.SetTokens(opts.TokenHeader, opts.Tokens)
	s.Swap(e)
	s.echo = s.newEcho()
	return s
}

// Swap installs a new engine (a reloaded config) for the turns that start
// after it; turns in flight finish with the engine they started with.
func (s *Server) Swap(e Engine) {
	s.current.Store(&bundle{
		engine:        e,
		fallback:      Fallback(s.opts.FallbackText, s.opts.FallbackButton),
		groupFallback: GroupFallback(s.opts.GroupFallback),
		limited:       TextResponse(s.opts.RateLimitedText),
		callbackAck:   CallbackAck(s.opts.CallbackText),
	})
}

// Handler returns the HTTP handler for the public address.
func (s *Server) Handler() http.Handler { return s.echo }

// Echo returns the public Echo so other packages can mount their routes on
// the public address (e.g. POST /dealers/:name/events). Register routes
// before serving.
func (s *Server) Echo() *echo.Echo { return s.echo }

// SweepRateLimits forgets idle users' rate-limit buckets; call it periodically.
func (s *Server) SweepRateLimits() { s.limiter.Sweep(s.now()) }

func (s *Server) newEcho() *echo.Echo {
	e := echo.NewWithConfig(echo.Config{Logger: s.logger})
	e.HTTPErrorHandler = s.handleError
	e.POST("/skill", s.handleSkill)
	e.GET("/healthz", func(c *echo.Context) error { return c.String(http.StatusOK, "ok\n") })
	return e
}

// handleError is the one error handler. Nothing reaches it from /skill in
// normal operation (handleSkill writes every answer itself); if anything
// does, /skill still answers 200 with the fallback. Other paths get a plain
// status text.
func (s *Server) handleError(c *echo.Context, err error) {
	if r, _ := echo.UnwrapResponse(c.Response()); r != nil && r.Committed {
		return
	}
	if c.Request().URL.Path == "/skill" && c.Request().Method == http.MethodPost {
		s.logger.Error("skill: error reached the error handler", "err", err)
		s.writeJSON(c, s.current.Load().fallbackFor(errorInGroup(c)))
		return
	}
	code := http.StatusInternalServerError
	var sc echo.HTTPStatusCoder
	if errors.As(err, &sc) {
		code = sc.StatusCode()
	}
	_ = c.String(code, http.StatusText(code)+"\n")
}

// groupKey marks, in the Echo context, a /skill request handleSkill decoded
// as a group chat, for the error handler.
const groupKey = "baton.skill.group"

// errorInGroup reports whether the /skill request that reached the error
// handler came from a group chat, so that it gets the group fallback like
// every other fallback path (DESIGN §3 step 6). handleSkill marks a group
// request once decoded; a request it never read (a middleware answered an
// error first) is decoded here. A body already read reads as empty: 1:1.
func errorInGroup(c *echo.Context) bool {
	if c.Get(groupKey) != nil {
		return true
	}
	if c.Request().Body == nil {
		return false
	}
	p, tooLarge, readErr, decodeErr := readDecode(c.Request())
	return !tooLarge && readErr == nil && decodeErr == nil && p.IsGroup()
}

func (s *Server) writeJSON(c *echo.Context, body []byte) {
	_ = c.Blob(http.StatusOK, "application/json; charset=utf-8", body)
}

// handleSkill answers POST /skill: 413 over 64 KB, 401 on a wrong token, and
// otherwise always 200 with a valid SkillResponse.
func (s *Server) handleSkill(c *echo.Context) error {
	start := time.Now()
	req := c.Request()
	// The request id is only needed on the paths that log (not on a good
	// turn), so nothing per request is allocated for it up front.
	reqID := requestID(req)
	b := s.current.Load()
	var trace *stagetrace.Rec
	if stagetrace.Enabled {
		if trace = stagetrace.Lookup(reqID); trace != nil {
			trace.MarkAt(stagetrace.Handler, start)
			req = req.WithContext(stagetrace.With(req.Context(), trace))
			c.SetRequest(req)
		}
	}

	if ok, via := s.authorized(req); !ok {
		s.metrics.answers.WithLabelValues("unauthorized").Inc()
		if via != "" {
			s.logger.Warn("skill: refused a request that came through a reverse proxy: kakao.tokens is empty, so /skill "+
				"answers local clients only; set BATON_SKILL_TOKEN (and BATON_SKILL_TEST_TOKEN) and the same values as "+
				"헤더값 / 테스트 헤더값 in 챗봇 관리자센터", "req", reqID, "header", via)
		} else {
			s.logRefusedToken(req, reqID) // tokens.go
		}
		return c.String(http.StatusUnauthorized, "unauthorized\n")
	}
	p, tooLarge, err, decodeErr := readDecode(req)
	if tooLarge {
		s.metrics.answers.WithLabelValues("too_large").Inc()
		s.logger.Warn("skill: body over limit", "req", reqID, "limit", MaxBody)
		return c.String(http.StatusRequestEntityTooLarge, "request body over 64 KB\n")
	}
	if err != nil {
		s.answerFallback(c, b, false, reqID, "read", err, start)
		return nil
	}
	if decodeErr != nil {
		s.answerFallback(c, b, false, reqID, "decode", decodeErr, start)
		return nil
	}
	if p.IsGroup() {
		c.Set(groupKey, true) // for the error handler, should anything reach it
	}

	// A turn that may finish through Kakao's callback gets the callback's
	// budget; any other turn runs inline with the hard deadline
	// (answerInline). Either way the turn is not cancelled when the HTTP
	// exchange ends: it commits or it does not, but it is never cut in half
	// by a client hanging up.
	cbURL := ""
	if p.CallbackURL() != "" && s.callbacks != nil && !p.IsBotTest() && s.callbacks.Allowed(p.CallbackURL()) {
		cbURL = p.CallbackURL()
	}
	if stagetrace.Enabled {
		trace.Mark(stagetrace.Decoded)
	}
	if cbURL == "" {
		s.answerInline(c, p, b, reqID, start)
		if stagetrace.Enabled {
			trace.Mark(stagetrace.Answered)
		}
		return nil
	}
	// A turn that may finish through the callback runs on its own goroutine
	// with the callback's budget, counted from the request; the handler
	// answers at the soft deadline.
	ctx, cancel := context.WithDeadline(context.WithoutCancel(req.Context()), start.Add(s.cbBudget))
	done := make(chan turnResult, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- turnResult{body: b.fallbackFor(p.IsGroup()), reason: "panic", err: fmt.Errorf("panic: %v\n%s", r, debug.Stack())}
			}
		}()
		done <- s.runTurn(ctx, p, b)
	}()

	var soft <-chan time.Time
	if cbURL != "" {
		t := time.NewTimer(s.opts.SoftDeadline)
		defer t.Stop()
		soft = t.C
	}
	hard := time.NewTimer(s.opts.HardDeadline)
	defer hard.Stop()
	select {
	case res := <-done:
		cancel()
		s.answer(c, b, p.IsGroup(), reqID, res, start)
		res.release() // written; a body posted to the callback URL below is not released
	case <-soft:
		// Past the soft deadline with a callback: answer useCallback now
		// and deliver the real answer through the one-time URL.
		s.writeJSON(c, b.callbackAck)
		s.metrics.answers.WithLabelValues("callback").Inc()
		s.inflight.Add(1)
		go s.finishCallback(context.WithoutCancel(req.Context()), cbURL, reqID, start, b, p.IsGroup(), done, cancel)
	case <-hard.C:
		cancel()
		s.answerFallback(c, b, p.IsGroup(), reqID, "deadline", context.DeadlineExceeded, start)
	}
	return nil
}

// finishCallback posts the one answer of a callback turn (DESIGN §3 step 6)
// to cbURL, on a context of its own (from base, which is not cancelled):
// the turn's result from done, or, when the turn has not ended by the
// callback budget's end (start + cbBudget), the fallback then. A turn may
// outlive its context — a store whose COMMIT has begun waits for it
// whatever the context says — and without the timer nothing would be
// posted while it is stuck, and its answer only once the store came back,
// after Kakao's callback URL (valid about a minute) is dead. The reply of a
// turn that commits after the fallback went out is never posted (one POST
// per URL, and a reply only for what was committed before it): it is
// logged and dropped. cancel ends the turn's context. The goroutine that
// runs finishCallback ends when the turn has ended and the POST is over;
// it counts in s.inflight (Drain) only until the POST is.
func (s *Server) finishCallback(base context.Context, cbURL, reqID string, start time.Time, b *bundle, group bool,
	done <-chan turnResult, cancel context.CancelFunc) {
	budget := time.NewTimer(time.Until(start.Add(s.cbBudget)))
	var res turnResult
	late := false
	select {
	case res = <-done:
	case <-budget.C:
		late = true
		res = turnResult{body: b.fallbackFor(group), reason: "callback_deadline", err: context.DeadlineExceeded}
	}
	budget.Stop()
	cancel()
	if res.reason != "" {
		s.logFallback("skill: callback turn answered the fallback", reqID, res.reason, res.err, "elapsed", time.Since(start))
	}
	s.postCallback(base, cbURL, reqID, start, res.body)
	s.inflight.Done()
	if !late {
		return
	}
	// The turn is still running: wait for its end (done is buffered, so it
	// never blocks on its send) only to say how it ended. Its body, never
	// read, goes back to its pool.
	res = <-done
	s.logger.Warn("skill: callback turn ended after its budget; the fallback was posted instead of its answer",
		"req", reqID, "reason", res.reason, "err", res.err, "elapsed", time.Since(start))
	res.release()
}

// postCallback posts body to cbURL by the callback budget's end plus
// callbackPostGrace. A posted body is not released: the client may still
// read it after Post returns (it is left to the collector).
func (s *Server) postCallback(base context.Context, cbURL, reqID string, start time.Time, body []byte) {
	pctx, pcancel := context.WithDeadline(base, start.Add(s.cbBudget+callbackPostGrace))
	defer pcancel()
	if err := s.callbacks.Post(pctx, cbURL, body); err != nil {
		s.metrics.callbacks.WithLabelValues("failed").Inc()
		s.logger.Error("skill: callback post failed", "req", reqID, "err", err, "elapsed", time.Since(start))
		return
	}
	s.metrics.callbacks.WithLabelValues("sent").Inc()
}

// answer writes a finished turn's result; group: the turn is in a group chat.
func (s *Server) answer(c *echo.Context, b *bundle, group bool, reqID string, res turnResult, start time.Time) {
	switch res.reason {
	case "":
		s.writeJSON(c, res.body)
		s.metrics.answersC.with("ok").Inc()
		s.metrics.turnSeconds.Observe(time.Since(start).Seconds())
	case "rate_limited":
		s.writeJSON(c, res.body)
		s.metrics.answers.WithLabelValues("rate_limited").Inc()
	default:
		s.answerFallback(c, b, group, reqID, res.reason, res.err, start)
	}
}

// Drain waits for callbacks still being delivered, until ctx ends; it returns
// how many were still in flight then (they are lost and logged as such).
func (s *Server) Drain(ctx context.Context) int {
	ch := make(chan struct{})
	go func() { s.inflight.Wait(); close(ch) }()
	select {
	case <-ch:
		return 0
	case <-ctx.Done():
		n := int(s.pendingCallbacks())
		s.logger.Error("skill: callbacks still in flight at shutdown are lost", "count", n)
		return n
	}
}

// answerFallback writes the fallback bubble (the group one when group) and
// logs why (never the utterance).
func (s *Server) answerFallback(c *echo.Context, b *bundle, group bool, reqID, reason string, err error, start time.Time) {
	s.metrics.answers.WithLabelValues("fallback").Inc()
	s.metrics.fallbacks.WithLabelValues(reason).Inc()
	s.logFallback("skill: answered the fallback", reqID, reason, err, "elapsed", time.Since(start))
	s.writeJSON(c, b.fallbackFor(group))
}

// logFallback logs msg about a fallback answer at ERROR, or at DEBUG once
// its reason had fallbackLogBurst ERROR lines this minute (fallback_log.go);
// an ERROR line after DEBUG ones counts them (unlogged).
func (s *Server) logFallback(msg, reqID, reason string, err error, attrs ...any) {
	attrs = append([]any{"req", reqID, "reason", reason, "err", err}, attrs...)
	ok, unlogged := s.fallbacks.admit(reason, s.now())
	if !ok {
		s.logger.Debug(msg, attrs...)
		return
	}
	if unlogged > 0 {
		attrs = append(attrs, "unlogged", unlogged)
	}
	s.logger.Error(msg, attrs...)
}

var reqSeq atomic.Uint64

// requestID returns the caller's X-Request-Id or a process-unique one.
func requestID(r *http.Request) string {
	if id := r.Header.Get("X-Request-Id"); id != "" && len(id) <= 64 {
		return id
	}
	return "t" + strconv.FormatUint(reqSeq.Add(1), 16)
}

// countingGroup is a WaitGroup that can say how many are pending.
type countingGroup struct {
	sync.WaitGroup
	n atomic.Int64
}

func (g *countingGroup) Add(d int) { g.n.Add(int64(d)); g.WaitGroup.Add(d) }
func (g *countingGroup) Done()     { g.n.Add(-1); g.WaitGroup.Done() }

func (s *Server) pendingCallbacks() int64 { return s.inflight.n.Load() }
