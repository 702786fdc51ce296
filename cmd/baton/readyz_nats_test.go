package main

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/handoff"
	"github.com/nats-io/nats.go/jetstream"
)

// TestReadyzSeesNATSWithoutJetStream: /readyz is not ok when --nats points
// at a server without JetStream, on which no handoff can be published.
func TestReadyzSeesNATSWithoutJetStream(t *testing.T) {
	srv := startOpsStandaloneNATS(t, false)
	m := startBatonLogging(t, exampleConfig, t.TempDir(), nil, slog.New(slog.DiscardHandler), func(m *Main) { m.NatsURL = srv.ClientURL() })
	code, body := getAdmin(t, m, "/readyz")
	if code == 200 && strings.Contains(body, `"status":"ok"`) {
		t.Errorf("/readyz with a NATS server without JetStream: got %d %s, want not ok (degraded: handoffs cannot be published)", code, body)
	}
	if !strings.Contains(body, `"nats":"no jetstream"`) {
		t.Errorf("/readyz with a NATS server without JetStream: got %s, want nats \"no jetstream\"", body)
	}
}

// TestReadyzSeesTheStreamMissing: /readyz is degraded while the BATON
// stream is missing.
func TestReadyzSeesTheStreamMissing(t *testing.T) {
	t.Parallel()
	m := startBatonLogging(t, exampleConfig, t.TempDir(), nil, slog.New(slog.DiscardHandler))
	if code, body := getAdmin(t, m, "/readyz"); code != 200 || !strings.Contains(body, `"status":"ok"`) {
		t.Fatalf("/readyz at start: got %d %s, want 200 ok", code, body)
	}
	js, err := jetstream.New(m.NC)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := js.DeleteStream(ctx, handoff.StreamName); err != nil {
		t.Fatal(err)
	}
	code, body := getAdmin(t, m, "/readyz")
	// The router or timers may already have created it again: then ok.
	if _, serr := js.Stream(ctx, handoff.StreamName); serr == nil {
		t.Skip("the stream was created again before /readyz looked")
	}
	if code != 200 || !strings.Contains(body, `"status":"degraded"`) || !strings.Contains(body, `"nats":"stream missing"`) {
		t.Errorf("/readyz without the stream: got %d %s, want 200 degraded, nats \"stream missing\"", code, body)
	}
}
