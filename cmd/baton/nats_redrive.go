package main

import (
	"context"
	"fmt"
	"time"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/store"
	"github.com/nats-io/nats.go/jetstream"
)

// redriveWaitingHandoffs queues the request of every handoff still waiting
// in its queue again, for a start that finds no BATON stream: a JetStream
// store that was lost (or replaced) took the requests the router had not
// finished with it, and their outbox rows are already marked published.
// startNATS calls it before it creates the stream, so the rows are
// committed while the loss is still visible: a start that fails later
// leaves them for the next one, which finds the stream and would not know
// to re-drive. A handoff whose request row is still unpublished (its
// publish never acked, or acked by the lost stream but not marked before
// the last stop, or queued by such a failed start) gets none: the relay,
// which has not started yet, publishes that row to the new stream. It
// returns how many requests it queued.
func (m *Main) redriveWaitingHandoffs(ctx context.Context) (int, error) {
	msgs, err := m.waitingRequests(ctx)
	if err != nil {
		return 0, err
	}
	n, err := m.DB.QueueOutboxOnce(ctx, msgs...)
	if err != nil {
		return 0, fmt.Errorf("baton serve: re-drive waiting handoffs: %w", err)
	}
	return n, nil
}

// redriveWhileRunning is redriveWaitingHandoffs for a stream created while
// the relay runs: it queues every waiting handoff's request, even one whose
// row is still unpublished, since that row may be one the relay has just
// published to the lost stream and is about to mark. The router skips
// targets already told (store deliveries) and dealers dedupe by handoff id,
// so a request sent twice does no harm.
func (m *Main) redriveWhileRunning(ctx context.Context) (int, error) {
	msgs, err := m.waitingRequests(ctx)
	if err != nil {
		return 0, err
	}
	if err := m.DB.QueueOutbox(ctx, msgs...); err != nil {
		return 0, fmt.Errorf("baton serve: re-drive waiting handoffs: %w", err)
	}
	return len(msgs), nil
}

// waitingRequests returns a new request message for every handoff still
// waiting in its queue. External handoffs (a dealer's own session) have no
// request and are left.
func (m *Main) waitingRequests(ctx context.Context) ([]store.OutboxMsg, error) {
	now := m.Now().UTC()
	var msgs []store.OutboxMsg
	for before := ""; ; {
		page, err := m.DB.ListHandoffs(ctx, store.HandoffFilter{Waiting: true, Before: before, Limit: 500})
		if err != nil {
			return nil, fmt.Errorf("baton serve: re-drive waiting handoffs: %w", err)
		}
		for _, h := range page {
			if h.Reason == handoff.ExternalReason {
				continue
			}
			msgs = append(msgs, store.OutboxMsg{ID: store.NewID(now), Subject: handoff.SubjectRequest(h.Queue),
				Payload: []byte(h.ID), CreatedAt: now})
		}
		if len(page) < 500 {
			return msgs, nil
		}
		before = page[len(page)-1].ID
	}
}

// watchNewStream re-drives the waiting handoffs each time the BATON stream
// is created while Baton runs (handoff.WatchStreamCreated): a stream lost
// with its JetStream store is created again within seconds by the router,
// the timers or the relay, but the requests it held are gone with it. The
// re-drive runs on its own goroutine until ctx ends; advisories that come
// while one runs are folded into one more. A failure is logged: the next
// creation, or the next start, re-drives again. An advisory is skipped when
// the stream there is still the one startNATS found or created (the
// server may deliver the advisory of that creation after the subscription
// here: start-up re-drove already, if it had to). It returns the error of
// subscribing to the advisory or of reaching JetStream.
func (m *Main) watchNewStream(ctx context.Context) error {
	js, err := jetstreamNew(m.NC)
	if err != nil {
		return err
	}
	kick := make(chan struct{}, 1)
	sub, err := handoff.WatchStreamCreated(m.NC, func() {
		select {
		case kick <- struct{}{}:
		default:
		}
	})
	if err != nil {
		return fmt.Errorf("baton serve: %w", err)
	}
	log := m.Logger.With("component", "nats")
	handled := m.streamBorn
	m.bg.Go(func() {
		defer func() { _ = sub.Unsubscribe() }()
		for {
			select {
			case <-ctx.Done():
				return
			case <-kick:
			}
			born, known := streamBirth(ctx, js)
			if known && !handled.IsZero() && born.Equal(handled) {
				log.Debug("nats: stream-created advisory of the stream start-up ensured; nothing re-driven")
				continue
			}
			n, err := m.redriveWhileRunning(ctx)
			if err == nil && known {
				handled = born
			}
			switch {
			case err != nil && ctx.Err() == nil:
				log.Error("nats: stream created while running; re-driving the waiting handoffs failed", "err", err)
			case n > 0:
				log.Warn("nats: stream created while running; waiting handoffs' requests queued again", "handoffs", n)
				m.Relay.Wake()
			}
		}
	})
	return nil
}

// streamBirth returns when the BATON stream now on the server was created
// (the server's clock), and false when it cannot be read.
func streamBirth(ctx context.Context, js jetstream.JetStream) (time.Time, bool) {
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	s, err := js.Stream(sctx, handoff.StreamName)
	if err != nil {
		return time.Time{}, false
	}
	return s.CachedInfo().Created, true
}
