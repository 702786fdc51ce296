package handoff

import (
	"context"
	"log/slog"

	"github.com/nats-io/nats.go/jetstream"
)

// maxUnfinishedDeliveries bounds the deliveries after the last
// (RouterOptions.MaxDeliver) that the router processes again because no
// failure of the one before is kept: with a message that stops or crashes
// the router every time, the delivery after them only writes its
// router_poison ticket (errOutOfDeliveries).
const maxUnfinishedDeliveries = 3

// afterLast handles a delivery of msg after its last one (attempt is over
// RouterOptions.MaxDeliver) and returns the error handle acts on.
//
// When this router kept why the last delivery failed (its ticket was
// refused), only that ticket is left to write: afterLast returns the cause.
// Otherwise the delivery before did not fail here: the router stopped or the
// process died during it (a shutdown, a SIGKILL, a deploy), or it failed in
// a process that died before writing the ticket. Such a delivery neither
// succeeded nor failed, so it does not count: afterLast processes msg once
// more, and only a failure then writes the ticket (handle). The per-target
// delivery records keep dealers and sinks told before from being told
// again. After maxUnfinishedDeliveries such deliveries, it gives up with
// errOutOfDeliveries.
func (r *Router) afterLast(ctx context.Context, msg jetstream.Msg, attempt uint64, log *slog.Logger) error {
	if cause, ok := r.causes.take(msg); ok {
		return cause // only its ticket is left to write
	}
	if attempt > uint64(r.opts.MaxDeliver)+maxUnfinishedDeliveries {
		return errOutOfDeliveries
	}
	log.Warn("router: the last delivery ended without an outcome (the router stopped or died); processing the message again")
	return r.process(ctx, msg, log)
}
