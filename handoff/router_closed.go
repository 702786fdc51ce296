package handoff

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/baton-chat/baton/store"
	"github.com/nats-io/nats.go/jetstream"
)

// closed handles an end event (cancel, timeout, ended, returned,
// superseded) of handoff id: see ended. A handoff that is gone (erased) or
// not ended is nothing to send.
func (r *Router) closed(ctx context.Context, msg jetstream.Msg, id string, log *slog.Logger) error {
	h, found, err := r.db.Handoff(ctx, id)
	if err != nil {
		return fmt.Errorf("handoff: router: %w", err)
	}
	if !found {
		return nil
	}
	return r.ended(ctx, msg, h, log)
}

// ended tells the notify sinks that may have shown handoff h's request,
// and send handoff.closed (ClosedSink.SendsClosed), that h is over, once
// per sink. It runs for each end event, for a request delivered again after
// h ended (its record of a 2xx may have been lost in a crash: the attempt
// mark stands for it), and right after a request whose POSTs were under way
// when h ended. A sink may have shown the request when its 2xx is recorded
// or its attempt mark stands (markAttempt: an answer lost or never read); a
// sink that refused every attempt (wasRefused) or was never reached hears
// nothing. Every handoff.closed delivery is recorded (closedTarget) and
// skipped on redelivery; ended returns the first failure after trying
// every sink, like the request (toSinks). A handoff that ended unaccepted
// before any sink's 2xx was recorded gets its notify_failed ticket here
// (endedUntold), as the request's next delivery would give it. An h that
// has not ended (taken, or gone) is nothing to do.
func (r *Router) ended(ctx context.Context, msg jetstream.Msg, h store.Handoff, log *slog.Logger) error {
	if h.ID == "" || h.EndedAt.IsZero() {
		return nil
	}
	done, err := r.db.Deliveries(ctx, h.ID)
	if err != nil {
		return fmt.Errorf("handoff: router: %w", err)
	}
	var firstErr error
	if !toldInTime(done, h) {
		// No sink acknowledged it while it waited: a handoff that closed
		// unaccepted (the user back after return_gap) gets its
		// notify_failed ticket now, not at the request's next retry,
		// minutes away in a sink outage.
		firstErr = r.endedUntold(ctx, h, log)
	}
	told := 0
	for _, s := range r.sinks {
		cs, ok := s.(ClosedSink)
		if !ok || !cs.SendsClosed() || !mayHaveShown(done, s.Name()) {
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
		if err := r.mark(ctx, h.ID, closedTarget(s.Name())); err != nil {
			firstErr = cmpErr(firstErr, err)
		}
	}
	if told > 0 {
		log.Debug("router: handoff closed announced", "handoff", h.ID, "code", h.Code, "end_reason", h.EndReason, "sinks", told)
	}
	return firstErr
}

// mayHaveShown reports whether sink may have shown a request whose
// deliveries are done: its 2xx is recorded, or its attempt mark stands.
func mayHaveShown(done map[string]time.Time, sink string) bool {
	_, ok := done[sink]
	if !ok {
		_, ok = done[attemptTarget(sink)]
	}
	return ok
}

// toldInTime reports whether done holds a request's 2xx recorded before h
// ended (store.OpenNotifyUnansweredTicket's rule): a sink that answered
// later showed links that no longer work, and one recorded in the
// millisecond of the end counts as later (the times cannot order them).
func toldInTime(done map[string]time.Time, h store.Handoff) bool {
	for target, at := range done {
		if store.RequestDelivery(target) && at.Before(h.EndedAt) {
			return true
		}
	}
	return false
}
