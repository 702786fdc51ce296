//go:build audit

package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// startStandaloneNATS starts one NATS server (no cluster) on 127.0.0.1 with
// or without JetStream: the "own server" docs/nats.md tells operators to run
// `baton serve --nats` against.
func startStandaloneNATS(t *testing.T, jetStream bool) *server.Server {
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

// TestAuditExternalStandaloneNATSDeliversHandoffs shows that `baton serve
// --nats URL` against a single NATS server with JetStream — what docs/nats.md
// ("run --nats nats://… against your own server (or cluster)", and its
// NATS_URL=nats://127.0.0.1:4222 example) tells operators to run — never
// delivers a handoff: serve.go startNATS asks for a stream with 3 replicas
// whenever --nats is set, a non-clustered server refuses it ("replicas > 1
// not supported in non-clustered mode"), serve only logs "continuing
// degraded", and nothing creates the stream later. The outbox never drains,
// the router never gets a consumer, no agent is told, and /readyz says ok.
func TestAuditExternalStandaloneNATSDeliversHandoffs(t *testing.T) {
	srv := startStandaloneNATS(t, true)
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	setNotifyEnv(t, hook, slack)
	clock := &testClock{t: mondayMorning}
	m := startBatonLogging(t, exampleConfig, t.TempDir(), clock, slog.New(slog.DiscardHandler), func(m *Main) { m.NatsURL = srv.ClientURL() })

	s := newSession(t, m, clock, "ops-standalone-nats")
	s.welcome()
	s.say("상담원")
	s.tap("네, 연결해 주세요")
	s.wantState(fsm.StateWaiting)
	id, _, _, _ := s.handoff()

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
}

// TestAuditReadyzSeesNATSWithoutJetStream shows that /readyz answers
// 200 {"status":"ok","nats":"ok"} when `--nats` points at a NATS server
// without JetStream: serve.go's /readyz only checks that the client
// connection is CONNECTED, so a server on which no stream can exist — every
// outbox publish fails, no handoff reaches anyone — looks healthy. docs/ops.md
// says `degraded` means "NATS is down and the outbox holds"; this is that
// state, reported as ok.
func TestAuditReadyzSeesNATSWithoutJetStream(t *testing.T) {
	srv := startStandaloneNATS(t, false)
	m := startBatonLogging(t, exampleConfig, t.TempDir(), nil, slog.New(slog.DiscardHandler), func(m *Main) { m.NatsURL = srv.ClientURL() })
	code, body := getAdmin(t, m, "/readyz")
	if code == 200 && strings.Contains(body, `"status":"ok"`) {
		t.Errorf("/readyz with a NATS server without JetStream: got %d %s, want not ok (degraded: handoffs cannot be published)", code, body)
	}
}

// startNATSClusterOn starts a 3-node JetStream cluster like
// startNATSCluster, but on the given client ports, so a Baton can be told
// its URLs before it runs.
func startNATSClusterOn(t *testing.T, clientPorts []int) {
	t.Helper()
	routePorts := freePorts(t, 3)
	var routes []string
	for _, p := range routePorts {
		routes = append(routes, fmt.Sprintf("nats://127.0.0.1:%d", p))
	}
	for i, p := range routePorts {
		opts := &server.Options{
			ServerName: fmt.Sprintf("ops-n%d", i),
			Host:       "127.0.0.1",
			Port:       clientPorts[i],
			JetStream:  true,
			StoreDir:   t.TempDir(),
			NoSigs:     true,
			NoLog:      true,
			Cluster:    server.ClusterOpts{Name: "ops-test", Host: "127.0.0.1", Port: p},
			Routes:     server.RoutesFromStr(strings.Join(routes, ",")),

			JetStreamMaxMemory: 64 << 20,
			JetStreamMaxStore:  1 << 30,
		}
		srv, err := server.NewServer(opts)
		if err != nil {
			t.Fatalf("nats node %d: %v", i, err)
		}
		go srv.Start()
		if !srv.ReadyForConnections(10 * time.Second) {
			t.Fatalf("nats node %d not ready", i)
		}
		t.Cleanup(srv.Shutdown)
	}
}

// TestAuditNATSDownAtStartGetsTheStreamWhenBack shows that the BATON stream
// is created only once, at start (serve.go startNATS → handoff.EnsureStream):
// with `--nats URL` down at start (Baton started before its NATS cluster, as
// in a compose file or after a host reboot) and a cluster without the stream
// when it comes up (a first deploy, a cluster whose JetStream store was
// lost), nothing ever creates it — the relay's publishes and the router's
// consumer fail forever, no handoff reaches an agent. serve.go's comment and
// docs/ops.md promise "Baton serves turns and the outbox holds until it is
// back". Want: the relay or router (re)creates the stream once NATS answers.
func TestAuditNATSDownAtStartGetsTheStreamWhenBack(t *testing.T) {
	clientPorts := freePorts(t, 3)
	var urls []string
	for _, p := range clientPorts {
		urls = append(urls, fmt.Sprintf("nats://127.0.0.1:%d", p))
	}
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	setNotifyEnv(t, hook, slack)
	clock := &testClock{t: mondayMorning}
	m := startBatonLogging(t, exampleConfig, t.TempDir(), clock, slog.New(slog.DiscardHandler),
		func(m *Main) { m.NatsURL = strings.Join(urls, ",") })

	s := newSession(t, m, clock, "ops-nats-late")
	s.welcome()
	s.say("상담원")
	s.tap("네, 연결해 주세요")
	s.wantState(fsm.StateWaiting)
	id, _, _, _ := s.handoff()

	startNATSClusterOn(t, clientPorts) // NATS is back, without the stream
	testutil.CheckFor(t, 30*time.Second, 100*time.Millisecond, func() error {
		if len(hook.requests()) == 0 {
			return fmt.Errorf("handoff %s: the webhook sink got nothing after NATS came back", id)
		}
		return nil
	})
}

// TestAuditRouterSurvivesItsConsumerBeingDeleted shows that the router stops
// for good when its durable consumer disappears while Baton runs (an
// operator's `nats consumer rm BATON router`, a stream deleted and
// re-created on an external NATS): nats.go ends a Consume on "409 Consumer
// Deleted", and Router.Run (handoff/router.go) only waits for ctx after its
// first successful consume, so it never creates the consumer again — no
// handoff reaches an agent until a restart, and /readyz stays ok. The timer
// consumer (TimerConsumer.Run) has the same shape. Want: a consume that ends
// is retried like a consumer that could not be created.
func TestAuditRouterSurvivesItsConsumerBeingDeleted(t *testing.T) {
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	setNotifyEnv(t, hook, slack)
	clock := &testClock{t: mondayMorning}
	m := startBaton(t, exampleConfig, t.TempDir(), clock)

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

	s := newSession(t, m, clock, "ops-router-consumer")
	s.welcome()
	s.say("상담원")
	s.tap("네, 연결해 주세요")
	s.wantState(fsm.StateWaiting)
	id, _, _, _ := s.handoff()
	testutil.CheckFor(t, 20*time.Second, 100*time.Millisecond, func() error {
		if len(hook.requests()) == 0 {
			return fmt.Errorf("handoff %s: the webhook sink got nothing after the router's consumer was deleted", id)
		}
		return nil
	})
}
