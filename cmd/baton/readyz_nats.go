package main

import (
	"context"

	"github.com/baton-chat/baton/handoff"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// natsReadiness is the "nats" field of /readyz: "ok", "down" (not
// connected), "no jetstream" (the server answers without JetStream) or
// "stream missing" (no BATON stream yet: the relay, router and timers
// create it). Anything but "ok" means handoffs wait in the outbox.
func (m *Main) natsReadiness(ctx context.Context) string {
	if m.NC == nil || m.NC.Status() != nats.CONNECTED {
		return "down"
	}
	js, err := jetstream.New(m.NC)
	if err != nil {
		return "down"
	}
	if _, err := js.AccountInfo(ctx); err != nil {
		return "no jetstream"
	}
	if _, err := js.Stream(ctx, handoff.StreamName); err != nil {
		return "stream missing"
	}
	return "ok"
}
