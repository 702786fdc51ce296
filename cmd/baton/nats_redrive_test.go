package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testutil"
)

// switchableSink is a notify sink that answers 503 while fail is set and
// records every body it gets.
type switchableSink struct {
	srv    *httptest.Server
	fail   atomic.Bool
	mu     sync.Mutex
	bodies [][]byte
}

func newSwitchableSink(t *testing.T) *switchableSink {
	t.Helper()
	s := &switchableSink{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.bodies = append(s.bodies, body)
		s.mu.Unlock()
		if s.fail.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// got reports how many requests mentioned id (and how many came at all).
func (s *switchableSink) got(id string) (mentioning, all int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, b := range s.bodies {
		if bytes.Contains(b, []byte(id)) {
			mentioning++
		}
	}
	return mentioning, len(s.bodies)
}

// lostStoreSetup is a handoff waiting behind two notify sinks that are
// down, its request published (the router retrying it), then serve
// stopped and <data>/nats removed, as a lost JetStream store leaves it; the
// sinks are back up. user names the session.
type lostStoreSetup struct {
	env         testEnv
	hook        *switchableSink
	clock       *testClock
	dataDir, id string
	queue       string
	before      int // the webhook's requests for id before the restart
}

func setupLostStore(t *testing.T, user string) lostStoreSetup {
	t.Helper()
	hook, slack := newSwitchableSink(t), newSwitchableSink(t)
	hook.fail.Store(true)
	slack.fail.Store(true)
	env := testEnv{}
	env["BATON_NOTIFY_URL"] = hook.srv.URL + "/hook"
	env["BATON_NOTIFY_SECRET"] = e2eNotifySecret
	env["BATON_SLACK_URL"] = slack.srv.URL + "/slack"
	clock := &testClock{t: mondayMorning}
	dataDir := t.TempDir()
	ctx := context.Background()

	m := startBatonLogging(t, exampleConfig, dataDir, clock, slog.New(slog.DiscardHandler), env.configure)
	s := newSession(t, m, clock, user)
	s.welcome()
	s.say("상담원")
	s.tap("네, 연결해 주세요")
	s.wantState(fsm.StateWaiting)
	id, _, _, _ := s.handoff()
	// The req is in NATS and the router is retrying the down sinks.
	testutil.CheckFor(t, 10*time.Second, 50*time.Millisecond, func() error {
		pending, err := m.DB.PendingOutbox(ctx, 100)
		if err != nil {
			return err
		}
		if n, _ := hook.got(id); len(pending) > 0 || n == 0 {
			return fmt.Errorf("outbox rows unpublished %d, sink attempts for %s %d", len(pending), id, n)
		}
		return nil
	})
	h, ok, err := m.DB.Handoff(ctx, id)
	if err != nil || !ok {
		t.Fatalf("handoff %s: found %v, err %v", id, ok, err)
	}
	http.DefaultClient.CloseIdleConnections()
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	// The JetStream store is lost (or moved aside, docs/ops.md); baton.db
	// is intact. The sinks are back.
	if err := os.RemoveAll(filepath.Join(dataDir, "nats")); err != nil {
		t.Fatal(err)
	}
	hook.fail.Store(false)
	slack.fail.Store(false)
	before, _ := hook.got(id)
	return lostStoreSetup{env: env, hook: hook, clock: clock, dataDir: dataDir, id: id, queue: h.Queue, before: before}
}

// TestLostNATSStoreRedrivesWaitingHandoffs: when the embedded JetStream
// store (<data>/nats) is lost while baton.db is intact, the next start
// creates the stream anew and queues the waiting handoffs' requests again,
// so the handoff the router had not delivered reaches the sink.
func TestLostNATSStoreRedrivesWaitingHandoffs(t *testing.T) {
	t.Parallel()
	ls := setupLostStore(t, "ops-nats-lost")
	env, hook, clock, dataDir, id, before := ls.env, ls.hook, ls.clock, ls.dataDir, ls.id, ls.before

	m2 := startBatonLogging(t, exampleConfig, dataDir, clock, slog.New(slog.DiscardHandler), env.configure)
	s2 := newSession(t, m2, clock, "ops-nats-lost")
	s2.wantState(fsm.StateWaiting)
	testutil.CheckFor(t, 20*time.Second, 100*time.Millisecond, func() error {
		if n, all := hook.got(id); n <= before {
			return fmt.Errorf("after the restart the webhook sink got nothing about waiting handoff %s (%d requests in all)", id, all)
		}
		return nil
	})
}
