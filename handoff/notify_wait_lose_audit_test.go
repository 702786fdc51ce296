//go:build audit

package handoff_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
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

// TestAuditLoseNotifyHandoffTimedOutDuringSinkOutage shows that a notify
// (one_on_one) handoff whose sinks were down until its wait timeout is
// lost without a trace: the router's next redelivery finds the handoff
// ended (router.go request: "handoff gone, ended or taken; nothing sent")
// and acks it; the wait timeout closes it silently, and only a dealer
// target gets the dealer_failed ticket of an unannounced handoff
// (dealer_fallback.go dealerUnanswered returns at once for notify). No sink
// was ever told, no ticket was opened: the escalation the user was told
// about reached nobody. With the defaults the router retries at 5 s, 15 s,
// 35 s, … 9 min 15 s, 19 min 15 s, 34 min 15 s against a 30 min
// wait_timeout.notify, so a sink outage of about 20 minutes (less with a
// shorter per-queue wait_timeout) loses every handoff opened at its start.
func TestAuditLoseNotifyHandoffTimedOutDuringSinkOutage(t *testing.T) {
	var up atomic.Bool
	var mu sync.Mutex
	var ok2xx int
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if !up.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		mu.Lock()
		ok2xx++
		mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(sink.Close)

	d := newTimerDealer(t)
	cfg := timerConfig(t, d, time.Second) // wait_timeout.notify: 1 s
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
	s := skill.NewServer(log, engine, db, handoff.Effects{Timers: timerCfg}, nil, skill.Options{
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
		OnOutbox: relay.Wake,
	})
	sinks := handoff.NewSinks(cfg.Notify, sink.Client(), log)
	// The retry comes after the wait timeout, as the 19 min 15 s retry does
	// after a 30 min outage began.
	router := handoff.NewRouter(db, js, sinks, log, handoff.RouterOptions{RetryDelay: 3 * time.Second})
	timers := handoff.NewTimerConsumer(db, js, s, timerCfg, log, handoff.TimerOptions{RetryDelay: 50 * time.Millisecond, OnOutbox: relay.Wake})
	srv := httptest.NewServer(s.Handler())
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { _ = relay.Run(ctx) })
	wg.Go(func() { _ = router.Run(ctx) })
	wg.Go(func() { _ = timers.Run(ctx) })
	e := &timerEnv{t: t, cfg: cfg, db: db, js: js, skill: s, url: srv.URL, timers: timers}
	t.Cleanup(func() {
		srv.Close()
		cancel()
		wg.Wait()
		_ = db.Close()
		nc.Close()
		emb.Shutdown()
	})

	e.turn("u-1on1", "상담원 블록", "상담원")
	id := e.conv("u-1on1").HandoffID
	if id == "" {
		t.Fatal("no handoff opened")
	}
	// The sink stays down until the wait timeout has closed the handoff.
	e.waitState("u-1on1", fsm.StateBot)
	up.Store(true)
	// The router's redelivery of the request is handled (acked: the
	// handoff is gone); the wait_timeout event it also acks is the other.
	testutil.CheckFor(t, 15*time.Second, 50*time.Millisecond, func() error {
		if router.Handled() < 2 {
			return errNotYet
		}
		return nil
	})
	var tickets int
	if err := db.ReadDB().QueryRowContext(ctx, `SELECT COUNT(*) FROM tickets WHERE handoff_id = ?`, id).Scan(&tickets); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	told := ok2xx
	mu.Unlock()
	if told == 0 && tickets == 0 {
		t.Errorf("handoff %s: got no sink told (2xx) and %d tickets, want the escalation to reach a sink or an agent-visible ticket", id, tickets)
	}
}

var errNotYet = errNotYetT("router has not handled the redelivery yet")

type errNotYetT string

func (e errNotYetT) Error() string { return string(e) }
