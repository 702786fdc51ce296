package handoff

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// ClusterReplicas is how many replicas the BATON stream asks for on a NATS
// cluster of three servers or more; a single server gets 1 (it refuses
// more) and a cluster of two gets 2 (ClusterStreamReplicas).
const ClusterReplicas = 3

// StreamReplicas returns the replicas the BATON stream asks for on the
// server nc is connected to: 1 when the server's INFO names no cluster (a
// standalone server, the embedded node, or nc not connected yet), else
// ClusterStreamReplicas of the servers nc knows (nc.Servers(): those given
// in --nats and those the cluster advertises to clients).
func StreamReplicas(nc *nats.Conn) int {
	if nc == nil || nc.ConnectedClusterName() == "" {
		return 1
	}
	return ClusterStreamReplicas(len(nc.Servers()))
}

// ClusterStreamReplicas returns the replicas of the BATON stream on a NATS
// cluster of which known servers are known. Three or more: ClusterReplicas.
// Two: 2 — each message is stored on both nodes (R3 would be refused: no
// third peer), at the price NATS sets for any two-node cluster: a write
// needs a majority of two, so while either node is down the stream takes
// nothing (the outbox holds the handoffs until it is back) — run three
// nodes to survive one. One (a cluster that advertises no other server to
// clients and was given one URL): the size is unknown, and ClusterReplicas
// is asked as before; a smaller cluster refuses it, and EnsureStream's error
// names the replicas asked and how to fix it.
func ClusterStreamReplicas(known int) int {
	if known == 2 {
		return 2
	}
	return ClusterReplicas
}

// EnsureStreamAuto is EnsureStream with StreamReplicas of js's connection,
// asked at the time of the call. It is idempotent.
func EnsureStreamAuto(ctx context.Context, js jetstream.JetStream) (jetstream.Stream, error) {
	return EnsureStream(ctx, js, StreamReplicas(js.Conn()))
}

// createConsumer creates or updates cfg on the BATON stream; when the stream
// is missing (NATS was down at start, or came back without it) it creates
// the stream with EnsureStreamAuto first and tries once more.
func createConsumer(ctx context.Context, js jetstream.JetStream, cfg jetstream.ConsumerConfig, log *slog.Logger) (jetstream.Consumer, error) {
	cons, err := js.CreateOrUpdateConsumer(ctx, StreamName, cfg)
	if !errors.Is(err, jetstream.ErrStreamNotFound) {
		return cons, err
	}
	if _, serr := EnsureStreamAuto(ctx, js); serr != nil {
		return nil, fmt.Errorf("stream missing: %w", serr)
	}
	log.Warn("nats: the stream was missing; created it", "stream", StreamName)
	return js.CreateOrUpdateConsumer(ctx, StreamName, cfg)
}

// ensureStreamAfter creates the BATON stream when err says no stream
// answered a publish (NATS came back without it). A failure is logged; the
// caller retries its publish with its own backoff either way.
func ensureStreamAfter(ctx context.Context, js jetstream.JetStream, err error, log *slog.Logger) {
	if !errors.Is(err, jetstream.ErrNoStreamResponse) {
		return
	}
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, serr := EnsureStreamAuto(sctx, js); serr != nil {
		log.Warn("nats: no stream answered; creating it failed", "stream", StreamName, "err", serr)
		return
	}
	log.Warn("nats: no stream answered; created it", "stream", StreamName)
}
