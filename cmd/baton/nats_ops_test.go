package main

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// startOpsStandaloneNATS starts one NATS server (no cluster) on 127.0.0.1,
// with or without JetStream: the "own server" docs/nats.md tells operators
// to run `baton serve --nats` against.
func startOpsStandaloneNATS(t *testing.T, jetStream bool) *server.Server {
	t.Helper()
	opts := &server.Options{
		ServerName: "ops-standalone",
		Host:       "127.0.0.1",
		Port:       -1,
		JetStream:  jetStream,
		StoreDir:   t.TempDir(),
		NoSigs:     true,
		NoLog:      true,

		JetStreamMaxMemory: 64 << 20,
		JetStreamMaxStore:  1 << 30,
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		t.Fatal("standalone nats not ready")
	}
	t.Cleanup(srv.Shutdown)
	return srv
}

// openHandoff walks a session to a waiting handoff and returns its id.
func openHandoff(t *testing.T, m *Main, clock *testClock, user string) string {
	t.Helper()
	s := newSession(t, m, clock, user)
	s.welcome()
	s.say("상담원")
	s.tap("네, 연결해 주세요")
	s.wantState(fsm.StateWaiting)
	id, _, _, _ := s.handoff()
	return id
}

// TestExternalStandaloneNATSDeliversHandoffs: `baton serve --nats URL`
// against a single NATS server with JetStream gets an R1 stream (a
// non-clustered server refuses R3) and delivers handoffs.
func TestExternalStandaloneNATSDeliversHandoffs(t *testing.T) {
	t.Parallel()
	srv := startOpsStandaloneNATS(t, true)
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	env := testEnv{}
	env.notify(hook, slack)
	clock := &testClock{t: mondayMorning}
	m := startBatonLogging(t, exampleConfig, t.TempDir(), clock, slog.New(slog.DiscardHandler), func(m *Main) { m.NatsURL = srv.ClientURL() }, env.configure)
	id := openHandoff(t, m, clock, "ops-standalone-nats")

	nc, err := nats.Connect(srv.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	testutil.CheckFor(t, 20*time.Second, 100*time.Millisecond, func() error {
		if len(hook.requests()) > 0 {
			return nil
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, serr := js.Stream(ctx, handoff.StreamName)
		return fmt.Errorf("handoff %s: the webhook sink got nothing (stream %s on the standalone server: err %v)", id, handoff.StreamName, serr)
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := js.Stream(ctx, handoff.StreamName)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.CachedInfo().Config.Replicas; got != 1 {
		t.Errorf("stream replicas on a standalone server: got %d, want 1", got)
	}
}

// TestRouterSurvivesItsConsumerBeingDeleted: the router creates its durable
// consumer again when it is deleted while Baton runs.
func TestRouterSurvivesItsConsumerBeingDeleted(t *testing.T) {
	t.Parallel()
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	env := testEnv{}
	env.notify(hook, slack)
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)

	js, err := jetstream.New(m.NC)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	testutil.CheckFor(t, 10*time.Second, 50*time.Millisecond, func() error {
		_, err := js.Consumer(ctx, handoff.StreamName, handoff.RouterName)
		return err
	})
	if err := js.DeleteConsumer(ctx, handoff.StreamName, handoff.RouterName); err != nil {
		t.Fatal(err)
	}
	id := openHandoff(t, m, clock, "ops-router-consumer")
	testutil.CheckFor(t, 20*time.Second, 100*time.Millisecond, func() error {
		if len(hook.requests()) == 0 {
			return fmt.Errorf("handoff %s: the webhook sink got nothing after the router's consumer was deleted", id)
		}
		return nil
	})
}

// TestTimerConsumerComesBackAfterBeingDeleted: the timer consumer creates
// its durable consumer again when it is deleted while Baton runs.
func TestTimerConsumerComesBackAfterBeingDeleted(t *testing.T) {
	t.Parallel()
	m := startBaton(t, exampleConfig, t.TempDir(), &testClock{t: mondayMorning})
	js, err := jetstream.New(m.NC)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	testutil.CheckFor(t, 10*time.Second, 50*time.Millisecond, func() error {
		_, err := js.Consumer(ctx, handoff.StreamName, handoff.TimerConsumerName)
		return err
	})
	if err := js.DeleteConsumer(ctx, handoff.StreamName, handoff.TimerConsumerName); err != nil {
		t.Fatal(err)
	}
	testutil.CheckFor(t, 10*time.Second, 50*time.Millisecond, func() error {
		if _, err := js.Consumer(ctx, handoff.StreamName, handoff.TimerConsumerName); err != nil {
			return fmt.Errorf("timer consumer after its deletion: %w", err)
		}
		return nil
	})
}
