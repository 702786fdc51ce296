package handoff

import (
	"errors"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// stopWhenGone is the consume error handler of the router and the timers:
// an error saying their durable consumer is gone (deleted, not found, no
// responder to a pull, or no heartbeat from it) stops the consume, so that
// Run, waiting on Closed, creates the consumer again. nats.go stops by
// itself only when a "consumer deleted" status reaches a pending pull; a
// consumer deleted between two pulls otherwise leaves the consume pulling
// from nothing until its heartbeat is missed (consumeHeartbeat).
func stopWhenGone(log *slog.Logger, who string) jetstream.PullConsumeOpt {
	return jetstream.ConsumeErrHandler(func(cc jetstream.ConsumeContext, err error) {
		if errors.Is(err, jetstream.ErrConsumerDeleted) || errors.Is(err, jetstream.ErrConsumerNotFound) ||
			errors.Is(err, nats.ErrNoResponders) || errors.Is(err, jetstream.ErrNoHeartbeat) {
			log.Warn(who+": consumer gone or silent; creating it again", "err", err)
			cc.Stop()
		}
	})
}

// consumeHeartbeat is how often the server says a pending pull of the
// router or the timers is alive; two missed make ErrNoHeartbeat, and
// stopWhenGone creates the consumer again. nats.go's default (half of a
// 30 s pull) would leave a deleted consumer unnoticed for 30 s.
const consumeHeartbeat = 2 * time.Second

// consumeOpts are the pull options of the router's and the timers'
// consume: at most max messages held, pulls of 10 s with consumeHeartbeat,
// and stopWhenGone.
func consumeOpts(max int, log *slog.Logger, who string) []jetstream.PullConsumeOpt {
	return []jetstream.PullConsumeOpt{
		jetstream.PullMaxMessages(max),
		jetstream.PullExpiry(10 * time.Second),
		jetstream.PullHeartbeat(consumeHeartbeat),
		stopWhenGone(log, who),
	}
}
