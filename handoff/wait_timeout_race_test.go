package handoff_test

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/faq"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/skill"
	"github.com/baton-chat/baton/store"
	_ "github.com/mattn/go-sqlite3"
	"github.com/nats-io/nats.go/jetstream"
)

// racingApplier is the skill server as the timer consumer sees it, with
// the dealer's accept (session.started on a held handoff, as DealerEvents
// applies it) committed just before, or just after, the wait timeout the
// timer applies: the two orders of the race, made deterministic.
type racingApplier struct {
	s           *skill.Server
	acceptFirst bool

	mu        sync.Mutex
	acceptErr error
	accepted  bool // the accept ran
}

func (a *racingApplier) Apply(ctx context.Context, userKey, event, reason string) (fsm.Outcome, error) {
	return a.s.Apply(ctx, userKey, event, reason)
}

func (a *racingApplier) ApplyFor(ctx context.Context, userKey, handoffID, event, reason string) (fsm.Outcome, error) {
	if event != fsm.EventWaitTimeout {
		return a.s.ApplyFor(ctx, userKey, handoffID, event, reason)
	}
	if a.acceptFirst {
		a.accept(ctx, userKey)
	}
	o, err := a.s.ApplyFor(ctx, userKey, handoffID, event, reason)
	if !a.acceptFirst {
		a.accept(ctx, userKey)
	}
	return o, err
}

func (a *racingApplier) accept(ctx context.Context, userKey string) {
	_, err := a.s.Apply(ctx, userKey, fsm.EventAccepted, handoff.DealerSessionStarted)
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.accepted {
		a.accepted, a.acceptErr = true, err
	}
}

func (a *racingApplier) result() (bool, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.accepted, a.acceptErr
}

// TestWaitTimeoutRacesTheDealerAccept: the wait timer of a dealer handoff
// the dealer never acknowledged opens a dealer_failed ticket, but never for
// a handoff the dealer accepted. The dealer's accept lands just before the
// timer applies the timeout (the timeout no longer applies: no ticket, the
// user is with the agent) or just after (the accept no longer applies: the
// handoff ended unaccepted, one ticket announced to the sinks).
func TestWaitTimeoutRacesTheDealerAccept(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		acceptFirst bool
	}{
		{"accept, then the timer", true},
		{"timer, then the accept", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, app, dbPath := startRaceEnv(t, tc.acceptFirst)
			e.turn("u-race", "VIP 블록", "VIP 상담")
			id := e.conv("u-race").HandoffID
			if id == "" {
				t.Fatalf("no handoff opened: state %s", e.conv("u-race").State)
			}
			e.waitHandled(1)
			ran, acceptErr := app.result()
			if !ran {
				t.Fatal("the timer never applied its timeout (the accept never ran)")
			}
			h, _, err := e.db.Handoff(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			var tickets, announced int
			if err := e.db.ReadDB().QueryRow(`SELECT COUNT(*) FROM tickets WHERE handoff_id = ? AND reason = 'dealer_failed'`,
				id).Scan(&tickets); err != nil {
				t.Fatal(err)
			}
			if err := e.db.ReadDB().QueryRow(`SELECT COUNT(*) FROM outbox o JOIN tickets k ON CAST(o.payload AS TEXT) = k.id
				WHERE k.handoff_id = ? AND o.subject LIKE 'baton.ticket.%.created'`, id).Scan(&announced); err != nil {
				t.Fatal(err)
			}
			if tc.acceptFirst {
				if acceptErr != nil || h.AcceptedAt.IsZero() || !h.EndedAt.IsZero() {
					t.Errorf("accept first: accept err %v, handoff accepted %v ended %v; want accepted and open",
						acceptErr, h.AcceptedAt, h.EndedAt)
				}
				if c := e.conv("u-race"); c.State != fsm.StateHuman {
					t.Errorf("accept first: state %s, want human", c.State)
				}
				if tickets != 0 || announced != 0 {
					t.Errorf("accept first: got %d dealer_failed tickets and %d announcements, want none", tickets, announced)
				}
				return
			}
			if !errors.Is(acceptErr, fsm.ErrNoTransition) || !h.AcceptedAt.IsZero() || h.EndReason != fsm.EventWaitTimeout {
				t.Errorf("timer first: accept err %v, handoff accepted %v, end reason %q; want no transition, not accepted, wait_timeout",
					acceptErr, h.AcceptedAt, h.EndReason)
			}
			if c := e.conv("u-race"); c.State != fsm.StateBot {
				t.Errorf("timer first: state %s, want bot", c.State)
			}
			if tickets != 1 || announced != 1 {
				t.Errorf("timer first: got %d dealer_failed tickets and %d announcements, want 1 and 1", tickets, announced)
			}

			// A crash after the timeout's commit and before the ticket's
			// (the ticket is missing): the redelivered firing finds its
			// timer fired and opens the ticket then.
			raw, err := sql.Open("sqlite3", "file:"+dbPath+"?_busy_timeout=5000")
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			if _, err := raw.Exec(`DELETE FROM tickets WHERE handoff_id = ?`, id); err != nil {
				t.Fatal(err)
			}
			if _, err := e.js.Publish(context.Background(), handoff.SubjectTimerFire(store.TimerWaitTimeout, id), nil); err != nil {
				t.Fatal(err)
			}
			e.waitHandled(2)
			if err := e.db.ReadDB().QueryRow(`SELECT COUNT(*) FROM tickets WHERE handoff_id = ? AND reason = 'dealer_failed'`,
				id).Scan(&tickets); err != nil {
				t.Fatal(err)
			}
			if tickets != 1 {
				t.Errorf("after the redelivered firing: got %d dealer_failed tickets, want 1", tickets)
			}
		})
	}
}

// startRaceEnv is the timer path for real (SQLite, embedded JetStream, the
// skill server on 127.0.0.1, the outbox relay and the timer consumer, no
// router: the dealer never acknowledges) with a 300 ms dealer wait, the
// consumer applying through a racingApplier. It returns the env, the
// applier and the SQLite file.
func startRaceEnv(t *testing.T, acceptFirst bool) (*timerEnv, *racingApplier, string) {
	t.Helper()
	cfg := timerConfig(t, newTimerDealer(t), 300*time.Millisecond)
	log := slog.New(slog.DiscardHandler)
	idx, err := faq.New(cfg.FAQEntries(), faq.Options{})
	if err != nil {
		t.Fatal(err)
	}
	engine, err := fsm.New(cfg, idx, fsm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "baton.db")
	db, err := store.Open(context.Background(), dbPath, store.Options{})
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
	timerCfg := handoff.NewTimerConfig(policy)
	relay := handoff.NewRelay(db, js, log)
	s := skill.NewServer(log, engine, db, handoff.Effects{Timers: timerCfg}, nil, skill.Options{
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
		OnOutbox: relay.Wake,
	})
	app := &racingApplier{s: s, acceptFirst: acceptFirst}
	timers := handoff.NewTimerConsumer(db, js, app, timerCfg, log, handoff.TimerOptions{RetryDelay: 50 * time.Millisecond, OnOutbox: relay.Wake})
	srv := httptest.NewServer(s.Handler())
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { _ = relay.Run(ctx) })
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
	return e, app, dbPath
}
