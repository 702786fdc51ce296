package handoff_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/faq"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/skill"
	"github.com/baton-chat/baton/store"
	"github.com/nats-io/nats.go/jetstream"
)

// timerDealer is a loopback 상담톡 dealer that records each call's path.
type timerDealer struct {
	srv   *httptest.Server
	mu    sync.Mutex
	paths []string
}

func newTimerDealer(t testing.TB) *timerDealer {
	t.Helper()
	d := &timerDealer{}
	d.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		d.mu.Lock()
		d.paths = append(d.paths, r.URL.Path)
		d.mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(d.srv.Close)
	return d
}

func (d *timerDealer) calls() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.paths...)
}

// closedUntil is a calendar closed until its opening (unix ms), then open.
type closedUntil struct{ opens atomic.Int64 }

func (c *closedUntil) Open(_ string, t time.Time) (bool, time.Time) {
	if opens := time.UnixMilli(c.opens.Load()); t.Before(opens) {
		return false, opens
	}
	return true, time.Time{}
}

// timerEnv is the durable-timer path for real: SQLite and embedded
// JetStream in dir, the skill server on 127.0.0.1, the outbox relay, the
// router with a loopback dealer and the timer consumer. stop closes it all
// as a shutdown would; a new timerEnv on the same dir is the restart.
type timerEnv struct {
	t      testing.TB
	cfg    *configs.Config
	db     *store.DB
	js     jetstream.JetStream
	skill  *skill.Server
	url    string
	timers *handoff.TimerConsumer
	policy *handoff.TimerPolicy
	// timersConfig is the policy holder the server and consumer share.
	timersConfig *handoff.TimerConfig

	stopOnce sync.Once
	stopFn   func()
}

// timerConfig is the example config with short waits, a dealer on d, no
// confirm question, and blocks that escalate to either queue.
func timerConfig(t testing.TB, d *timerDealer, wait time.Duration) *configs.Config {
	t.Helper()
	cfg := testutil.ExampleSangdamtalk(t, "../configs/example.yaml")
	cfg.Dealers["happytalk"] = configs.Dealer{URL: d.srv.URL, Secret: "s3cret"}
	cfg.Escalation.Confirm = false
	cfg.Handoff.WaitTimeout.Dealer = configs.Duration(wait)
	cfg.Handoff.WaitTimeout.Notify = configs.Duration(wait)
	cfg.Blocks.Map["VIP 블록"] = configs.BlockAction{Handoff: "vip"}
	vip := cfg.Handoff.Queues["vip"]
	vip.Intake = nil // the timers are under test, not the order-number question
	cfg.Handoff.Queues["vip"] = vip
	return cfg
}

func startTimerEnv(t testing.TB, dir string, cfg *configs.Config, hours fsm.Hours, tune func(*handoff.TimerPolicy)) *timerEnv {
	t.Helper()
	return startTimerEnvWith(t, dir, cfg, hours, tune, timerEnvOpts{})
}

// timerEnvOpts change what startTimerEnvWith starts.
type timerEnvOpts struct {
	// wrap, when set, is what the timer consumer applies its events
	// through, around the skill server: a test's way to run something at
	// the instant a firing applies.
	wrap func(*skill.Server) handoff.Applier
	// noRouter: no router runs, so the dealer never acknowledges a request.
	noRouter bool
}

// startTimerEnvWith is startTimerEnv changed by o.
func startTimerEnvWith(t testing.TB, dir string, cfg *configs.Config, hours fsm.Hours, tune func(*handoff.TimerPolicy), o timerEnvOpts) *timerEnv {
	t.Helper()
	wrap := o.wrap
	log := slog.New(slog.DiscardHandler)
	idx, err := faq.New(cfg.FAQEntries(), faq.Options{})
	if err != nil {
		t.Fatal(err)
	}
	engine, err := fsm.New(cfg, idx, fsm.Options{Hours: hours})
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), filepath.Join(dir, "baton.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	emb, err := handoff.StartEmbedded(filepath.Join(dir, "nats"), nil)
	if err != nil {
		t.Fatal(err)
	}
	nc, err := emb.Connect("test")
	if err != nil {
		t.Fatal(err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := handoff.EnsureStream(context.Background(), js, 1); err != nil {
		t.Fatal(err)
	}
	policy := handoff.NewTimerPolicy(cfg, engine.Hours())
	if tune != nil {
		tune(policy)
	}
	timerCfg := handoff.NewTimerConfig(policy)
	relay := handoff.NewRelay(db, js, log)
	s := skill.NewServer(log, engine, db, handoff.Effects{Timers: timerCfg}, nil, skill.Options{
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
		OnOutbox: relay.Wake,
	})
	dealers := map[string]handoff.DealerTarget{"happytalk": handoff.NewDealerClient("happytalk", cfg.Dealers["happytalk"], cfg.Bot.Name, db)}
	router := handoff.NewRouter(db, js, nil, log, handoff.RouterOptions{Dealers: dealers, RetryDelay: 50 * time.Millisecond})
	var app handoff.Applier = s
	if wrap != nil {
		app = wrap(s)
	}
	timers := handoff.NewTimerConsumer(db, js, app, timerCfg, log, handoff.TimerOptions{RetryDelay: 50 * time.Millisecond, OnOutbox: relay.Wake})
	events := handoff.NewDealerEvents(log, cfg, db, s)
	events.OnActivity = timers.RefreshIdle
	events.Register(s.Echo())
	srv := httptest.NewServer(s.Handler())
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { _ = relay.Run(ctx) })
	if !o.noRouter {
		wg.Go(func() { _ = router.Run(ctx) })
	}
	wg.Go(func() { _ = timers.Run(ctx) })
	e := &timerEnv{t: t, cfg: cfg, db: db, js: js, skill: s, url: srv.URL, timers: timers, policy: policy, timersConfig: timerCfg}
	e.stopFn = func() {
		srv.Close()
		cancel()
		wg.Wait()
		_ = db.Close()
		nc.Close()
		emb.Shutdown()
	}
	t.Cleanup(e.stop)
	return e
}

func (e *timerEnv) stop() { e.stopOnce.Do(e.stopFn) }

// turn posts one Open Builder turn of user (a friend) to /skill.
func (e *timerEnv) turn(user, block, utterance string) {
	e.t.Helper()
	body, _ := json.Marshal(map[string]any{
		"bot": map[string]any{"id": "bot1", "name": "test"},
		"userRequest": map[string]any{
			"utterance": utterance, "block": map[string]any{"id": "blk-" + block, "name": block},
			"user": map[string]any{"id": user, "type": "botUserKey",
				"properties": map[string]any{"plusfriendUserKey": "pf-" + user, "isFriend": true}},
		},
	})
	resp, err := http.Post(e.url+"/skill", "application/json", bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil || resp.StatusCode != http.StatusOK {
		e.t.Fatalf("POST /skill: status %d, err %v; want 200", resp.StatusCode, err)
	}
}

func (e *timerEnv) conv(user string) fsm.Conversation {
	e.t.Helper()
	_, c, found, err := e.db.Load(context.Background(), user)
	if err != nil || !found {
		e.t.Fatalf("load %s: found %v, err %v", user, found, err)
	}
	return c
}

// waitState waits until user's conversation is in s.
func (e *timerEnv) waitState(user string, s fsm.State) fsm.Conversation {
	e.t.Helper()
	var c fsm.Conversation
	testutil.CheckFor(e.t, 15*time.Second, 20*time.Millisecond, func() error {
		if c = e.conv(user); c.State != s {
			return fmt.Errorf("%s is in %s, want %s", user, c.State, s)
		}
		return nil
	})
	return c
}

// waitPublished waits until the outbox is empty (schedules are in JetStream).
func (e *timerEnv) waitPublished() {
	e.t.Helper()
	testutil.CheckFor(e.t, 10*time.Second, 10*time.Millisecond, func() error {
		if msgs, err := e.db.PendingOutbox(context.Background(), 10); err != nil || len(msgs) > 0 {
			return fmt.Errorf("outbox holds %d messages (err %v)", len(msgs), err)
		}
		return nil
	})
}

// waitHandled waits until the timer consumer has finished n firings.
func (e *timerEnv) waitHandled(n uint64) {
	e.t.Helper()
	testutil.CheckFor(e.t, 15*time.Second, 20*time.Millisecond, func() error {
		if got := e.timers.Handled(); got < n {
			return fmt.Errorf("timer consumer handled %d firings, want %d", got, n)
		}
		return nil
	})
}

func (e *timerEnv) timer(kind, id string) store.Timer {
	e.t.Helper()
	tm, ok, err := e.db.Timer(context.Background(), kind, id)
	if err != nil || !ok {
		e.t.Fatalf("timer %s %s: found %v, err %v", kind, id, ok, err)
	}
	return tm
}

func (e *timerEnv) notifications() []store.Notification {
	e.t.Helper()
	n, err := e.db.Notifications(context.Background(), store.NotificationPending, time.Time{}, 100)
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// noneWithoutTimer is the acceptance query: nobody waits without a timer.
func (e *timerEnv) noneWithoutTimer() {
	e.t.Helper()
	if got, err := e.db.ConversationsWithoutTimer(context.Background()); err != nil || len(got) != 0 {
		e.t.Errorf("ConversationsWithoutTimer: got %v, %v; want none", got, err)
	}
}

func waitCalls(t testing.TB, d *timerDealer, want ...string) {
	t.Helper()
	testutil.CheckFor(t, 10*time.Second, 10*time.Millisecond, func() error {
		if got := d.calls(); strings.Join(got, " ") != strings.Join(want, " ") {
			return fmt.Errorf("dealer calls %v, want %v", got, want)
		}
		return nil
	})
}

func TestWaitTimeoutMovesWaitingToBot(t *testing.T) {
	t.Parallel()
	d := newTimerDealer(t)
	e := startTimerEnv(t, t.TempDir(), timerConfig(t, d, time.Second), nil, nil)

	e.turn("u-dealer", "VIP 블록", "VIP 상담")
	e.turn("u-1on1", "상담원 블록", "상담원")
	dealerConv, oneConv := e.conv("u-dealer"), e.conv("u-1on1")
	if dealerConv.State != fsm.StateWaiting || oneConv.State != fsm.StateWaiting {
		t.Fatalf("after escalating: got %s and %s, want both waiting", dealerConv.State, oneConv.State)
	}
	hDealer, hOne := dealerConv.HandoffID, oneConv.HandoffID
	if tm := e.timer(store.TimerWaitTimeout, hDealer); tm.Status != store.TimerPending || tm.HandoffID != hDealer {
		t.Errorf("dealer wait timer: got %+v, want pending for %s", tm, hDealer)
	}
	e.noneWithoutTimer()

	e.waitState("u-dealer", fsm.StateBot)
	e.waitState("u-1on1", fsm.StateBot)
	// The dealer got the request, then Baton's cancel for the timed-out wait.
	waitCalls(t, d, "/handoffs", "/handoffs/"+hDealer+"/cancel")
	for _, id := range []string{hDealer, hOne} {
		if tm := e.timer(store.TimerWaitTimeout, id); tm.Status != store.TimerFired {
			t.Errorf("wait timer %s: got status %s, want fired", id, tm.Status)
		}
		h, _, err := e.db.Handoff(context.Background(), id)
		if err != nil || h.EndedAt.IsZero() || h.EndReason != fsm.EventWaitTimeout {
			t.Errorf("handoff %s: ended %v reason %q (err %v); want ended by wait_timeout", id, h.EndedAt, h.EndReason, err)
		}
	}
	// Only the dealer wait owes the user an apology (Event API, later).
	n := e.notifications()
	if len(n) != 1 || n[0].Kind != store.NotifyWaitTimeout || n[0].Ref != hDealer || n[0].UserKey != "u-dealer" {
		t.Errorf("pending notifications: got %+v, want one wait_timeout for u-dealer's handoff", n)
	}
	e.noneWithoutTimer()
}

func TestTimerOfAnEndedHandoffDoesNothing(t *testing.T) {
	t.Parallel()
	d := newTimerDealer(t)
	e := startTimerEnv(t, t.TempDir(), timerConfig(t, d, 1500*time.Millisecond), nil, nil)
	ctx := context.Background()

	// u-cancel cancels: the turn cancels the timer with the handoff.
	e.turn("u-cancel", "VIP 블록", "VIP 상담")
	hCancel := e.conv("u-cancel").HandoffID
	waitCalls(t, d, "/handoffs")
	e.turn("u-cancel", "폴백 블록", e.cfg.Texts.Cancel)
	if c := e.conv("u-cancel"); c.State != fsm.StateBot {
		t.Fatalf("after 상담 취소: got %s, want bot", c.State)
	}
	waitCalls(t, d, "/handoffs", "/handoffs/"+hCancel+"/cancel")
	if tm := e.timer(store.TimerWaitTimeout, hCancel); tm.Status != store.TimerCancelled {
		t.Errorf("timer after cancel: got %s, want cancelled", tm.Status)
	}

	// u-ended's handoff ends behind the timers' back (its row stays
	// pending): the firing must see that the handoff is over.
	e.turn("u-ended", "VIP 블록", "VIP 상담")
	hEnded := e.conv("u-ended").HandoffID
	waitCalls(t, d, "/handoffs", "/handoffs/"+hCancel+"/cancel", "/handoffs")
	if ok, err := e.db.CloseHandoff(ctx, hEnded, "admin", time.Now()); err != nil || !ok {
		t.Fatalf("CloseHandoff: %v, %v", ok, err)
	}
	// u-newer moved on to a newer handoff the old timer must not touch.
	e.turn("u-newer", "VIP 블록", "VIP 상담")
	old := e.conv("u-newer")
	waitCalls(t, d, "/handoffs", "/handoffs/"+hCancel+"/cancel", "/handoffs", "/handoffs")
	newer := store.NewID(time.Now())
	w := &store.TurnWrite{User: store.User{Key: "u-newer", PlusfriendKey: "pf-u-newer", IsFriend: true, LastSeen: time.Now()}, Conv: old,
		EndHandoff:  &store.HandoffEnd{ID: old.HandoffID, Reason: "superseded", At: time.Now()},
		OpenHandoff: &store.Handoff{ID: newer, Code: "ZZ22", UserKey: "u-newer", Queue: "vip", Target: "dealer:happytalk", Reason: "keyword", CreatedAt: time.Now()},
		Ops: []store.Op{store.ScheduleTimerOp(store.Timer{Kind: store.TimerWaitTimeout, ID: newer, UserKey: "u-newer",
			HandoffID: newer, DueAt: time.Now().Add(time.Hour)})},
	}
	w.Conv.HandoffID = newer
	if err := e.db.Commit(ctx, w); err != nil {
		t.Fatalf("commit newer handoff: %v", err)
	}

	// All three timers fire; none does anything.
	e.waitHandled(3)
	for _, id := range []string{hCancel, hEnded, old.HandoffID} {
		if tm := e.timer(store.TimerWaitTimeout, id); tm.Status != store.TimerCancelled {
			t.Errorf("timer %s after firing: got %s, want cancelled (stale)", id, tm.Status)
		}
	}
	if c := e.conv("u-ended"); c.State != fsm.StateWaiting {
		t.Errorf("u-ended: got %s, want untouched (waiting)", c.State)
	}
	if c := e.conv("u-newer"); c.State != fsm.StateWaiting || c.HandoffID != newer {
		t.Errorf("u-newer: got %s on %s, want still waiting on the newer handoff %s", c.State, c.HandoffID, newer)
	}
	if h, _, _ := e.db.Handoff(ctx, newer); !h.EndedAt.IsZero() {
		t.Errorf("newer handoff ended (%s) by an old timer", h.EndReason)
	}
	if got := d.calls(); len(got) != 4 {
		t.Errorf("dealer calls: got %v, want no call beyond 3 requests and the user's cancel", got)
	}
	if n := e.notifications(); len(n) != 0 {
		t.Errorf("pending notifications: got %+v, want none", n)
	}
	// u-ended still waits on an ended handoff (an admin close outside the
	// lifecycle); the query flags it rather than hiding it.
	got, err := e.db.ConversationsWithoutTimer(ctx)
	if err != nil || strings.Join(got, ",") != "u-ended" {
		t.Errorf("ConversationsWithoutTimer: got %v, %v; want [u-ended]", got, err)
	}
}

func TestAfterHoursExpiresAndReopenNotifies(t *testing.T) {
	t.Parallel()
	d := newTimerDealer(t)
	hours := &closedUntil{}
	hours.opens.Store(time.Now().Add(time.Hour).UnixMilli())
	e := startTimerEnv(t, t.TempDir(), timerConfig(t, d, time.Minute), hours, nil)
	opens := time.Now().Add(1500 * time.Millisecond).Truncate(time.Millisecond)
	hours.opens.Store(opens.UnixMilli())

	e.turn("u-sit", "상담원 블록", "상담원")
	e.turn("u-notify", "상담원 블록", "상담원")
	for _, u := range []string{"u-sit", "u-notify"} {
		if c := e.conv(u); c.State != fsm.StateAfterHours {
			t.Fatalf("%s escalating while closed: got %s, want after_hours", u, c.State)
		}
	}
	e.noneWithoutTimer()
	e.turn("u-notify", "폴백 블록", e.cfg.Texts.NotifyOnOpen)
	if c := e.conv("u-notify"); c.State != fsm.StateBot {
		t.Fatalf("열리면 알려주세요: got %s, want bot", c.State)
	}
	timers, err := e.db.PendingTimers(context.Background(), "u-notify")
	if err != nil || len(timers) != 1 || timers[0].Kind != store.TimerReopen || !timers[0].DueAt.Equal(opens) {
		t.Fatalf("u-notify's timers: got %+v, %v; want one reopen due at the opening", timers, err)
	}
	reopen := timers[0]

	e.waitState("u-sit", fsm.StateBot)
	testutil.CheckFor(t, 15*time.Second, 20*time.Millisecond, func() error {
		if n := e.notifications(); len(n) != 1 {
			return fmt.Errorf("pending notifications: %+v, want the reopen", n)
		}
		return nil
	})
	n := e.notifications()[0]
	if n.Kind != store.NotifyReopen || n.UserKey != "u-notify" || n.Ref != "general" || !n.NotBefore.Equal(reopen.DueAt) {
		t.Errorf("notification: got %+v, want reopen of general for u-notify, not before %v", n, reopen.DueAt)
	}
	if tm := e.timer(store.TimerReopen, reopen.ID); tm.Status != store.TimerFired {
		t.Errorf("reopen timer: got %s, want fired", tm.Status)
	}
	sit, err := e.db.UserTimers(context.Background(), "u-sit")
	if err != nil || len(sit) != 1 || sit[0].Status != store.TimerFired || sit[0].Kind != store.TimerAfterHours {
		t.Errorf("u-sit's timers: got %+v, %v; want one fired after_hours", sit, err)
	}
	if strings.Contains(sit[0].ID, "u-sit") || strings.Contains(reopen.ID, "u-notify") {
		t.Errorf("timer ids %s, %s must not contain the user key", sit[0].ID, reopen.ID)
	}
	e.noneWithoutTimer()

	// Erasure purges the user's schedules: nothing names them any more.
	if err := handoff.PurgeTimers(context.Background(), e.js, sit); err != nil {
		t.Fatalf("PurgeTimers: %v", err)
	}
	s, err := e.js.Stream(context.Background(), handoff.StreamName)
	if err != nil {
		t.Fatal(err)
	}
	for _, subj := range []string{handoff.SubjectTimerSchedule(sit[0].Kind, sit[0].ID), handoff.SubjectTimerFire(sit[0].Kind, sit[0].ID)} {
		if _, err := s.GetLastMsgForSubject(context.Background(), subj); err == nil {
			t.Errorf("%s still holds a message after PurgeTimers", subj)
		}
	}
}

func TestIdleTimerEndsAQuietDealerSession(t *testing.T) {
	t.Parallel()
	d := newTimerDealer(t)
	e := startTimerEnv(t, t.TempDir(), timerConfig(t, d, time.Minute), nil,
		func(p *handoff.TimerPolicy) { p.HumanIdle = time.Second })
	e.turn("u-idle", "VIP 블록", "VIP 상담")
	h := e.conv("u-idle").HandoffID
	if _, err := e.skill.Apply(context.Background(), "u-idle", fsm.EventAccepted, "session.started"); err != nil {
		t.Fatalf("Apply accepted: %v", err)
	}
	if tm := e.timer(store.TimerWaitTimeout, h); tm.Status != store.TimerCancelled {
		t.Errorf("wait timer after accept: got %s, want cancelled", tm.Status)
	}
	e.waitState("u-idle", fsm.StateBot)
	if tm := e.timer(store.TimerIdle, h); tm.Status != store.TimerFired {
		t.Errorf("idle timer: got %s, want fired", tm.Status)
	}
	if hh, _, err := e.db.Handoff(context.Background(), h); err != nil || hh.EndReason != handoff.ReasonIdle {
		t.Errorf("handoff end reason: got %q (err %v), want idle", hh.EndReason, err)
	}
	e.noneWithoutTimer()
}

func TestSlowTimerScheduledBeforeARestartFiresAfterIt(t *testing.T) {
	if testing.Short() {
		t.Skip("restart e2e: skipped under -short")
	}
	t.Parallel()
	d := newTimerDealer(t)
	dir := t.TempDir()
	cfg := timerConfig(t, d, 3*time.Second)
	e := startTimerEnv(t, dir, cfg, nil, nil)
	e.turn("u-restart", "VIP 블록", "VIP 상담")
	h := e.conv("u-restart").HandoffID
	due := e.timer(store.TimerWaitTimeout, h).DueAt
	e.waitPublished()
	waitCalls(t, d, "/handoffs") // the dealer has it before the shutdown
	e.stop()

	// Everything restarts on the same files (SQLite and the JetStream store).
	e = startTimerEnv(t, dir, cfg, nil, nil)
	if time.Now().After(due) {
		t.Fatalf("restart took until past the due time %v; the test proves nothing", due)
	}
	if tm := e.timer(store.TimerWaitTimeout, h); tm.Status != store.TimerPending {
		t.Fatalf("timer before firing: got %s, want pending", tm.Status)
	}
	e.waitState("u-restart", fsm.StateBot)
	if tm := e.timer(store.TimerWaitTimeout, h); tm.Status != store.TimerFired {
		t.Errorf("timer after restart: got %s, want fired", tm.Status)
	}
	waitCalls(t, d, "/handoffs", "/handoffs/"+h+"/cancel")
	e.noneWithoutTimer()
}

func TestEarlyFiringIsScheduledAgain(t *testing.T) {
	t.Parallel()
	d := newTimerDealer(t)
	e := startTimerEnv(t, t.TempDir(), timerConfig(t, d, time.Hour), nil, nil)
	ctx := context.Background()
	e.turn("u-early", "상담원 블록", "상담원")
	h := e.conv("u-early").HandoffID
	due := e.timer(store.TimerWaitTimeout, h).DueAt
	e.waitPublished()
	s, err := e.js.Stream(ctx, handoff.StreamName)
	if err != nil {
		t.Fatal(err)
	}
	sched := handoff.SubjectTimerSchedule(store.TimerWaitTimeout, h)
	first, err := s.GetLastMsgForSubject(ctx, sched)
	if err != nil {
		t.Fatalf("schedule of the wait timer: %v", err)
	}
	// A firing an hour early (a clock ahead of ours, or an old schedule).
	if _, err := e.js.Publish(ctx, handoff.SubjectTimerFire(store.TimerWaitTimeout, h), []byte(h)); err != nil {
		t.Fatal(err)
	}
	e.waitHandled(1)
	e.waitPublished()
	if c := e.conv("u-early"); c.State != fsm.StateWaiting {
		t.Errorf("after an early firing: got %s, want still waiting", c.State)
	}
	if tm := e.timer(store.TimerWaitTimeout, h); tm.Status != store.TimerPending || !tm.DueAt.Equal(due) {
		t.Errorf("timer after an early firing: got %s due %v, want pending due %v", tm.Status, tm.DueAt, due)
	}
	again, err := s.GetLastMsgForSubject(ctx, sched)
	if err != nil {
		t.Fatalf("schedule after the early firing: %v", err)
	}
	at := func(m *jetstream.RawStreamMsg) time.Time {
		v, _ := strings.CutPrefix(m.Header.Get("Nats-Schedule"), "@at ")
		ts, err := time.Parse(time.RFC3339, v)
		if err != nil {
			t.Fatalf("Nats-Schedule %q: %v", m.Header.Get("Nats-Schedule"), err)
		}
		return ts
	}
	if gap := at(again).Sub(at(first)); again.Sequence <= first.Sequence || gap < 0 || gap > time.Second {
		t.Errorf("schedule: got seq %d at %v, want a newer message (after %d) for the same due time %v",
			again.Sequence, at(again), first.Sequence, at(first))
	}
	e.noneWithoutTimer()
}

func TestRefreshIdleReplacesTheSchedule(t *testing.T) {
	t.Parallel()
	d := newTimerDealer(t)
	e := startTimerEnv(t, t.TempDir(), timerConfig(t, d, time.Minute), nil,
		func(p *handoff.TimerPolicy) { p.HumanIdle = time.Hour })
	ctx := context.Background()
	e.turn("u-busy", "VIP 블록", "VIP 상담")
	h := e.conv("u-busy").HandoffID
	if _, err := e.skill.Apply(ctx, "u-busy", fsm.EventAccepted, "session.started"); err != nil {
		t.Fatalf("Apply accepted: %v", err)
	}
	first := e.timer(store.TimerIdle, h).DueAt
	if err := e.timers.RefreshIdle(ctx, "no-such-handoff"); err != nil {
		t.Errorf("RefreshIdle without an idle timer: %v, want nil (nothing to do)", err)
	}
	// A reload shortens the idle limit; the dealer's next event
	// (agent.assigned) restarts the timer under it, replacing the hour-long
	// schedule.
	p := *e.policy
	p.HumanIdle = time.Second
	e.timersConfig.Set(&p)
	body, _ := json.Marshal(map[string]any{"version": 1, "id": "ev-assigned", "type": handoff.DealerAgentAssigned,
		"handoff_id": h, "at": time.Now().UTC().Format(time.RFC3339), "agent": map[string]any{"id": "a1", "name": "김상담"}})
	req, _ := http.NewRequest(http.MethodPost, e.url+"/dealers/happytalk/events", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(handoff.SignatureHeader, handoff.Sign([]byte("s3cret"), time.Now(), body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("agent.assigned: status %d, want 200", resp.StatusCode)
	}
	if due := e.timer(store.TimerIdle, h).DueAt; !due.Before(first) {
		t.Errorf("idle due after refresh: got %v, want sooner than %v", due, first)
	}
	e.waitState("u-busy", fsm.StateBot)
	if tm := e.timer(store.TimerIdle, h); tm.Status != store.TimerFired {
		t.Errorf("idle timer: got %s, want fired", tm.Status)
	}
	e.noneWithoutTimer()
}

func TestRepairSchedulesMissingTimers(t *testing.T) {
	t.Parallel()
	d := newTimerDealer(t)
	e := startTimerEnv(t, t.TempDir(), timerConfig(t, d, time.Second), nil,
		func(p *handoff.TimerPolicy) { p.AfterHoursIdle = time.Second })
	ctx := context.Background()
	now := time.Now()
	// Conversations written without timers (before timers existed).
	seed := func(key string, state fsm.State, ended bool) {
		t.Helper()
		w := &store.TurnWrite{User: store.User{Key: key, IsFriend: true, LastSeen: now},
			Conv: fsm.Conversation{UserKey: key, State: state, StateSince: now}}
		if state == fsm.StateWaiting {
			id := store.NewID(now)
			w.Conv.HandoffID, w.Conv.Queue = id, "general"
			w.OpenHandoff = &store.Handoff{ID: id, Code: "RP22", UserKey: key, Queue: "general", Target: "notify", Reason: "keyword", CreatedAt: now}
			if ended {
				w.OpenHandoff.EndedAt, w.OpenHandoff.EndReason = now, "admin"
			}
		}
		if err := e.db.Commit(ctx, w); err != nil {
			t.Fatalf("seed %s: %v", key, err)
		}
	}
	seed("u-old-wait", fsm.StateWaiting, false)
	seed("u-old-after", fsm.StateAfterHours, false)
	seed("u-stuck", fsm.StateWaiting, true)
	// A dealer handoff the router failed over, then accepted by an agent
	// from the notify sinks: its dealer's events no longer count, so its
	// idle timer is the 1:1 rule's (one_on_one_idle after the accept).
	failed := store.NewID(now)
	w := &store.TurnWrite{User: store.User{Key: "u-failed-over", IsFriend: true, LastSeen: now},
		Conv:        fsm.Conversation{UserKey: "u-failed-over", State: fsm.StateWaiting, StateSince: now, HandoffID: failed, Queue: "vip"},
		OpenHandoff: &store.Handoff{ID: failed, Code: "RP23", UserKey: "u-failed-over", Queue: "vip", Target: "dealer:happytalk", Reason: "keyword", CreatedAt: now}}
	if err := e.db.Commit(ctx, w); err != nil {
		t.Fatal(err)
	}
	if ok, err := e.db.FailDealerOver(ctx, store.Ticket{HandoffID: failed, Reason: "dealer_failed"}, "dealer:happytalk:failed", now); err != nil || !ok {
		t.Fatalf("FailDealerOver: got %v, %v", ok, err)
	}
	w.Conv.State, w.OpenHandoff, w.AcceptHandoff = fsm.StateHuman, nil, &store.HandoffAccept{ID: failed, At: now}
	if err := e.db.Commit(ctx, w); err != nil {
		t.Fatal(err)
	}
	n, err := e.timers.Repair(ctx)
	if err != nil || n != 3 {
		t.Fatalf("Repair: got %d, %v; want 3 (the ended handoff cannot time out)", n, err)
	}
	if tm, want := e.timer(store.TimerIdle, failed), now.Add(configs.DefaultOneOnOneIdle); !tm.DueAt.Equal(time.UnixMilli(want.UnixMilli())) {
		t.Errorf("failed-over handoff's idle timer: got due %v, want %v (one_on_one_idle after the accept)", tm.DueAt, want)
	}
	if again, err := e.timers.Repair(ctx); err != nil || again != 0 {
		t.Errorf("Repair again: got %d, %v; want 0", again, err)
	}
	e.waitState("u-old-wait", fsm.StateBot)
	e.waitState("u-old-after", fsm.StateBot)
	got, err := e.db.ConversationsWithoutTimer(ctx)
	if err != nil || strings.Join(got, ",") != "u-stuck" {
		t.Errorf("ConversationsWithoutTimer: got %v, %v; want [u-stuck]", got, err)
	}
}

func TestApplyForTouchesOnlyItsHandoff(t *testing.T) {
	t.Parallel()
	d := newTimerDealer(t)
	e := startTimerEnv(t, t.TempDir(), timerConfig(t, d, time.Hour), nil, nil)
	ctx := context.Background()
	e.turn("u-for", "상담원 블록", "상담원")
	h := e.conv("u-for").HandoffID
	var app handoff.HandoffApplier = e.skill
	if _, err := app.ApplyFor(ctx, "u-for", "an-older-handoff", fsm.EventWaitTimeout, fsm.EventWaitTimeout); !errors.Is(err, fsm.ErrNoTransition) {
		t.Errorf("ApplyFor another handoff: got %v, want ErrNoTransition", err)
	}
	if c := e.conv("u-for"); c.State != fsm.StateWaiting || c.HandoffID != h {
		t.Fatalf("after ApplyFor another handoff: got %s on %s, want waiting on %s", c.State, c.HandoffID, h)
	}
	// Writes committed with the event are its transaction: one that fails
	// (a ticket closed meanwhile) leaves the conversation and handoff as
	// they were.
	if _, err := e.skill.ApplyForWith(ctx, "u-for", h, fsm.EventEnded, handoff.ReasonTicketClosed,
		[]store.Op{store.CloseTicketOp("no-such-ticket", time.Now())}, nil); !errors.Is(err, store.ErrConflict) {
		t.Errorf("ApplyForWith a failing write: got %v, want ErrConflict", err)
	}
	if c := e.conv("u-for"); c.State != fsm.StateWaiting || c.HandoffID != h {
		t.Fatalf("after ApplyForWith a failing write: got %s on %s, want waiting on %s", c.State, c.HandoffID, h)
	}
	if _, err := app.ApplyFor(ctx, "u-for", h, fsm.EventWaitTimeout, fsm.EventWaitTimeout); err != nil {
		t.Fatalf("ApplyFor its handoff: %v", err)
	}
	if c := e.conv("u-for"); c.State != fsm.StateBot {
		t.Errorf("after ApplyFor its handoff: got %s, want bot", c.State)
	}
	if tm := e.timer(store.TimerWaitTimeout, h); tm.Status != store.TimerFired {
		t.Errorf("wait timer: got %s, want fired with the timeout's commit", tm.Status)
	}
}
