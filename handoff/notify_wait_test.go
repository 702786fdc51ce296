package handoff_test

import (
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

// sinkOutageEnv is a timer env whose one webhook sink answers 503 until up
// is set, with the router retrying after routerRetry and the skill server's
// clock shifted by shift.
type sinkOutageEnv struct {
	*timerEnv
	router *handoff.Router
	up     atomic.Bool
	shift  atomic.Int64 // nanoseconds added to the skill server's clock
	// ticketsThrough lets ticket events through while the sink is down,
	// for a test whose router retry is too far away to redeliver them.
	ticketsThrough atomic.Bool
	// holdFirst, when set before the first turn, is called with the first
	// handoff request the sink receives before it answers: the router read
	// the handoff before sending it, so a test can end the handoff while
	// that delivery is in flight.
	holdFirst atomic.Pointer[func()]
	holding   atomic.Bool
	// requests counts the handoff requests (not ticket events) the sink
	// received, answered or not.
	requests atomic.Int64

	mu    sync.Mutex
	ok2xx int
}

// told is how many requests the sink answered 2xx.
func (s *sinkOutageEnv) told() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ok2xx
}

// tickets returns the reasons of the tickets of handoff id.
func (s *sinkOutageEnv) tickets(id string) []string {
	s.t.Helper()
	rows, err := s.db.ReadDB().QueryContext(context.Background(), `SELECT reason FROM tickets WHERE handoff_id = ? ORDER BY reason`, id)
	if err != nil {
		s.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			s.t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		s.t.Fatal(err)
	}
	return out
}

func startSinkOutageEnv(t *testing.T, wait, routerRetry time.Duration) *sinkOutageEnv {
	t.Helper()
	env := &sinkOutageEnv{}
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var msg struct {
			Type string `json:"type"`
		}
		_ = json.Unmarshal(body, &msg)
		if msg.Type == "handoff.requested" {
			env.requests.Add(1)
		}
		if hold := env.holdFirst.Load(); hold != nil && !strings.HasPrefix(msg.Type, "ticket.") && env.holding.CompareAndSwap(false, true) {
			(*hold)()
		}
		through := env.ticketsThrough.Load() && strings.HasPrefix(msg.Type, "ticket.")
		if !env.up.Load() && !through {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		env.mu.Lock()
		env.ok2xx++
		env.mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(sink.Close)

	d := newTimerDealer(t)
	cfg := timerConfig(t, d, wait)
	cfg.Notify = []configs.Notify{{Kind: "webhook", URL: sink.URL, Secret: "s3cret"}}
	dir := t.TempDir()
	log := slog.New(slog.DiscardHandler)
	idx, err := faq.New(cfg.FAQEntries(), faq.Options{})
	if err != nil {
		t.Fatal(err)
	}
	engine, err := fsm.New(cfg, idx, fsm.Options{})
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
	timerCfg := handoff.NewTimerConfig(handoff.NewTimerPolicy(cfg, engine.Hours()))
	relay := handoff.NewRelay(db, js, log)
	// No sweep: every outbox row must be published by the wake of whoever
	// queued it (the skill server, the timers, the router).
	relay.Sweep = time.Hour
	s := skill.NewServer(log, engine, db, handoff.Effects{Timers: timerCfg}, nil, skill.Options{
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
		OnOutbox: relay.Wake,
		Now:      func() time.Time { return time.Now().Add(time.Duration(env.shift.Load())) },
	})
	sinks := handoff.NewSinks(cfg.Notify, sink.Client(), log)
	env.router = handoff.NewRouter(db, js, sinks, log, handoff.RouterOptions{RetryDelay: routerRetry, OnOutbox: relay.Wake})
	timers := handoff.NewTimerConsumer(db, js, s, timerCfg, log, handoff.TimerOptions{RetryDelay: 50 * time.Millisecond, OnOutbox: relay.Wake})
	srv := httptest.NewServer(s.Handler())
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { _ = relay.Run(ctx) })
	wg.Go(func() { _ = env.router.Run(ctx) })
	wg.Go(func() { _ = timers.Run(ctx) })
	env.timerEnv = &timerEnv{t: t, cfg: cfg, db: db, js: js, skill: s, url: srv.URL, timers: timers}
	t.Cleanup(func() {
		srv.Close()
		cancel()
		wg.Wait()
		_ = db.Close()
		nc.Close()
		emb.Shutdown()
	})
	return env
}

var errRedeliveryNotYet = errors.New("router has not handled the redelivery yet")

// TestNotifyHandoffTimedOutDuringSinkOutageOpensTicket checks that a
// notify (one_on_one) handoff whose sinks were down until its wait timeout
// is not lost: the wait timeout opens a notify_failed ticket (announced to
// the ticket-capable sinks once they are back), and the router's
// redelivery, finding the handoff ended, opens no second one.
func TestNotifyHandoffTimedOutDuringSinkOutageOpensTicket(t *testing.T) {
	t.Parallel()
	// The retry comes after the wait timeout, as the 19 min 15 s retry does
	// after a 30 min outage began.
	e := startSinkOutageEnv(t, time.Second, 3*time.Second)
	ctx := context.Background()

	e.turn("u-1on1", "상담원 블록", "상담원")
	id := e.conv("u-1on1").HandoffID
	if id == "" {
		t.Fatal("no handoff opened")
	}
	// The sink stays down until the wait timeout has closed the handoff.
	e.waitState("u-1on1", fsm.StateBot)
	e.up.Store(true)
	// The router's redelivery of the request is handled (acked: the
	// handoff is gone); the wait_timeout event it also acks is the other.
	testutil.CheckFor(t, 15*time.Second, 50*time.Millisecond, func() error {
		if e.router.Handled() < 2 {
			return errRedeliveryNotYet
		}
		return nil
	})
	var tickets int
	if err := e.db.ReadDB().QueryRowContext(ctx, `SELECT COUNT(*) FROM tickets WHERE handoff_id = ?`, id).Scan(&tickets); err != nil {
		t.Fatal(err)
	}
	if told := e.told(); told == 0 && tickets == 0 {
		t.Errorf("handoff %s: got no sink told (2xx) and %d tickets, want the escalation to reach a sink or an agent-visible ticket", id, tickets)
	}
	if got := e.tickets(id); len(got) != 1 || got[0] != "notify_failed" {
		t.Errorf("handoff %s: got tickets %v, want one notify_failed", id, got)
	}
}

// TestNotifyHandoffNotConnectedDuringSinkOutageOpensTicket checks the
// router's side: a one_on_one handoff closed by the user's return after
// return_gap (not_connected, no timer involved) before any sink could be
// told is not dropped in silence: the router opens the notify_failed
// ticket when it handles the handoff's end event, long before the
// request's next retry (an hour away here), and the ticket reaches the
// sink.
//
// The router's first delivery is held at the sink until the handoff has
// ended: it read the handoff while it was waiting, as a delivery racing the
// user's return does. The sink keeps refusing the handoff itself, so that
// delivery fails as a sink outage makes it fail; only the ticket gets
// through. (Bringing the whole sink back while that delivery is in flight
// tells the sink of the handoff, 2xx: a sink that was told gets no
// notify_failed ticket, and the test waited for one in vain.)
func TestNotifyHandoffNotConnectedDuringSinkOutageOpensTicket(t *testing.T) {
	t.Parallel()
	e := startSinkOutageEnv(t, time.Hour, time.Hour)
	arrived, held := make(chan struct{}), make(chan struct{})
	hold := func() { close(arrived); <-held }
	e.holdFirst.Store(&hold)
	release := sync.OnceFunc(func() { close(held) })
	defer release() // a test that failed early lets the delivery go too

	e.turn("u-1on1", "상담원 블록", "상담원")
	id := e.conv("u-1on1").HandoffID
	if id == "" {
		t.Fatal("no handoff opened")
	}
	select {
	case <-arrived:
	case <-time.After(15 * time.Second):
		t.Fatal("the router's first delivery never reached the sink")
	}
	e.shift.Store(int64(11 * time.Minute)) // return_gap 10m
	e.turn("u-1on1", "배송비", "배송비 얼마에요")
	if c := e.conv("u-1on1"); c.State != fsm.StateBot {
		t.Fatalf("after return_gap: got %s, want bot (not_connected)", c.State)
	}
	e.ticketsThrough.Store(true)
	release()
	testutil.CheckFor(t, 15*time.Second, 50*time.Millisecond, func() error {
		if got := e.tickets(id); len(got) != 1 || got[0] != "notify_failed" {
			return fmt.Errorf("handoff %s: got tickets %v, want one notify_failed (the request's retry is an hour away)", id, got)
		}
		return nil
	})
	testutil.CheckFor(t, 15*time.Second, 50*time.Millisecond, func() error {
		if e.told() == 0 {
			return errors.New("the sink was not told of the notify_failed ticket yet")
		}
		return nil
	})
}

// TestNotifyWaitTimeoutOpensTicketBeforeTheRouterRetries checks the wait
// timer's side: with the router's next retry far away, the wait timeout
// itself opens the notify_failed ticket of a notify handoff no sink
// acknowledged, and the ticket reaches the sink once it is back.
func TestNotifyWaitTimeoutOpensTicketBeforeTheRouterRetries(t *testing.T) {
	t.Parallel()
	e := startSinkOutageEnv(t, time.Second, time.Hour)
	// The sink is back for tickets by the time the ticket is opened (a
	// ticket event it refused would wait for the hour-long router retry).
	e.ticketsThrough.Store(true)

	e.turn("u-1on1", "상담원 블록", "상담원")
	id := e.conv("u-1on1").HandoffID
	if id == "" {
		t.Fatal("no handoff opened")
	}
	e.waitState("u-1on1", fsm.StateBot)
	testutil.CheckFor(t, 15*time.Second, 50*time.Millisecond, func() error {
		if got := e.tickets(id); len(got) != 1 || got[0] != "notify_failed" {
			return fmt.Errorf("handoff %s: got tickets %v, want one notify_failed", id, got)
		}
		return nil
	})
	testutil.CheckFor(t, 15*time.Second, 50*time.Millisecond, func() error {
		if e.told() == 0 {
			return errors.New("the sink was not told of the notify_failed ticket yet")
		}
		return nil
	})
	// A handoff the user cancels while no sink was told opens none, also
	// once the router has handled its cancel event: its request was
	// refused (Nak'd for an hour) before the cancel, and everything but
	// the two requests is acked.
	e.turn("u-cancel", "상담원 블록", "상담원")
	cid := e.conv("u-cancel").HandoffID
	testutil.CheckFor(t, 15*time.Second, 20*time.Millisecond, func() error {
		if n := e.requests.Load(); n < 2 {
			return fmt.Errorf("the sink got %d handoff requests, want 2", n)
		}
		return nil
	})
	e.turn("u-cancel", "상담 취소", "상담 취소")
	if c := e.conv("u-cancel"); c.State != fsm.StateBot || cid == "" {
		t.Fatalf("after 상담 취소: got %s on handoff %q, want bot", c.State, cid)
	}
	testutil.CheckFor(t, 15*time.Second, 20*time.Millisecond, func() error {
		cons, err := e.js.Consumer(context.Background(), handoff.StreamName, handoff.RouterName)
		if err != nil {
			return err
		}
		info, err := cons.Info(context.Background())
		if err != nil {
			return err
		}
		if info.NumPending != 0 || info.NumAckPending != 2 {
			return fmt.Errorf("router consumer: %d pending, %d unacked; want 0 and the 2 refused requests", info.NumPending, info.NumAckPending)
		}
		return nil
	})
	if got := e.tickets(cid); len(got) != 0 {
		t.Errorf("cancelled handoff: got tickets %v, want none", got)
	}
}
