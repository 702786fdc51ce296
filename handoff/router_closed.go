package handoff

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/nats-io/nats.go/jetstream"
)

// closed tells the notify sinks that were told about handoff id's request,
// and send handoff.closed (ClosedSink.SendsClosed), that the handoff is
// over, once per sink: it runs for each end event (cancel, timeout, ended,
// returned, superseded), records every delivery (closedTarget) and skips
// recorded ones on redelivery, and returns the first failure after trying
// them all, like the request (toSinks). A sink never told of the request
// (it failed until the handoff ended, or the handoff went to a dealer that
// never failed over) hears nothing. A handoff that is gone (erased) or not
// ended is nothing to send. A handoff no sink was told of that ended
// unaccepted gets its notify_failed ticket here (endedUntold), as the
// request's next delivery would give it.
func (r *Router) closed(ctx context.Context, msg jetstream.Msg, id string, log *slog.Logger) error {
	h, found, err := r.db.Handoff(ctx, id)
	if err != nil {
		return fmt.Errorf("handoff: router: %w", err)
	}
	if !found || h.EndedAt.IsZero() {
		return nil
	}
	done, err := r.db.Deliveries(ctx, id)
	if err != nil {
		return fmt.Errorf("handoff: router: %w", err)
	}
	var firstErr error
	if len(done) == 0 {
		// No sink was told: a handoff that closed unaccepted (the user
		// back after return_gap) gets its notify_failed ticket now, not
		// at the request's next retry, minutes away in a sink outage.
		firstErr = r.endedUntold(ctx, h, log)
	}
	told := 0
	for _, s := range r.sinks {
		cs, ok := s.(ClosedSink)
		if !ok || !cs.SendsClosed() {
			continue
		}
		if _, requested := done[s.Name()]; !requested {
			continue
		}
		if _, ok := done[closedTarget(s.Name())]; ok {
			continue
		}
		_ = msg.InProgress()
		if err := cs.NotifyClosed(ctx, ClosedNotice{Handoff: h}); err != nil {
			r.delivered.WithLabelValues("closed", "error").Inc()
			firstErr = cmpErr(firstErr, fmt.Errorf("handoff: router: %s: closed: %w", s.Name(), err))
			continue
		}
		r.delivered.WithLabelValues("closed", "ok").Inc()
		told++
		if err := r.mark(ctx, id, closedTarget(s.Name())); err != nil {
			firstErr = cmpErr(firstErr, err)
		}
	}
	if told > 0 {
		log.Debug("router: handoff closed announced", "handoff", id, "code", h.Code, "end_reason", h.EndReason, "sinks", told)
	}
	return firstErr
}
