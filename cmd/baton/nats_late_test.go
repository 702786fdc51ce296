package main

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/testutil"
	"github.com/nats-io/nats-server/v2/server"
)

// startLateNATSCluster starts a 3-node JetStream cluster like
// startNATSCluster, but on the given client ports, so a Baton can be told
// its URLs before it runs.
func startLateNATSCluster(t *testing.T, clientPorts []int) {
	t.Helper()
	routePorts := freePorts(t, 3)
	var routes []string
	for _, p := range routePorts {
		routes = append(routes, fmt.Sprintf("nats://127.0.0.1:%d", p))
	}
	for i, p := range routePorts {
		opts := &server.Options{
			ServerName: fmt.Sprintf("late-n%d", i),
			Host:       "127.0.0.1",
			Port:       clientPorts[i],
			JetStream:  true,
			StoreDir:   t.TempDir(),
			NoSigs:     true,
			NoLog:      true,
			Cluster:    server.ClusterOpts{Name: "late-test", Host: "127.0.0.1", Port: p},
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

// TestSlowNATSDownAtStartGetsTheStreamWhenBack: with `--nats URL` down at
// start and a cluster without the BATON stream when it comes up, Baton
// creates the stream and delivers the handoff that waited in the outbox.
func TestSlowNATSDownAtStartGetsTheStreamWhenBack(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: waits for serve's start-up stream timeout")
	}
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
	id := openHandoff(t, m, clock, "ops-nats-late")

	startLateNATSCluster(t, clientPorts) // NATS is back, without the stream
	testutil.CheckFor(t, 30*time.Second, 100*time.Millisecond, func() error {
		if len(hook.requests()) == 0 {
			return fmt.Errorf("handoff %s: the webhook sink got nothing after NATS came back", id)
		}
		return nil
	})
}
