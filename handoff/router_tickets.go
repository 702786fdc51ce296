package handoff

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/baton-chat/baton/store"
)

// ticketEvent routes baton.ticket.<id>.<event>; rest is the subject after
// "baton.ticket.".
func (r *Router) ticketEvent(ctx context.Context, msg jetstream.Msg, id, rest string, log *slog.Logger) error {
	switch rest {
	case id + "." + TicketCreated:
		return r.ticketCreated(ctx, msg, id, log)
	case "":
		return fmt.Errorf("%w: subject %s", errPoison, msg.Subject())
	}
	if strings.HasPrefix(rest, id+".") {
		return nil // other ticket events: nothing to deliver
	}
	return fmt.Errorf("%w: subject %s does not name ticket %s", errPoison, msg.Subject(), id)
}

// liveTicket re-reads ticket id; ok is false when it is gone or closed
// (nothing must be sent for it).
func (r *Router) liveTicket(ctx context.Context, id string) (store.Ticket, bool, error) {
	t, found, err := r.db.TicketByID(ctx, id)
	if err != nil {
		return t, false, fmt.Errorf("handoff: router: %w", err)
	}
	return t, found && t.Status != store.TicketStatusClosed, nil
}

// ticketCreated tells every ticket-capable notify sink about a new ticket
// once; it returns the first failure after trying them all (delivered sinks
// are recorded and skipped on redelivery).
func (r *Router) ticketCreated(ctx context.Context, msg jetstream.Msg, id string, log *slog.Logger) error {
	t, live, err := r.liveTicket(ctx, id)
	if err != nil || !live {
		if err == nil {
			log.Info("router: ticket gone or closed; nothing sent", "ticket", id)
		}
		return err
	}
	done, err := r.db.TicketDeliveries(ctx, id)
	if err != nil {
		return fmt.Errorf("handoff: router: %w", err)
	}
	sent, firstErr := 0, error(nil)
	for _, s := range r.sinks {
		ts, ok := s.(TicketSink)
		if !ok {
			continue
		}
		if _, ok := done[s.Name()]; ok {
			sent++
			continue
		}
		if t, live, err = r.liveTicket(ctx, id); err != nil || !live {
			return err
		}
		_ = msg.InProgress()
		if err := ts.NotifyTicket(ctx, TicketNotice{Ticket: t}); err != nil {
			r.delivered.WithLabelValues("ticket", "error").Inc()
			firstErr = cmpErr(firstErr, fmt.Errorf("handoff: router: %s: ticket %s: %w", s.Name(), id, err))
			continue
		}
		r.delivered.WithLabelValues("ticket", "ok").Inc()
		sent++
		if err := r.markTicket(ctx, id, s.Name()); err != nil {
			firstErr = cmpErr(firstErr, err)
		}
	}
	switch {
	case firstErr != nil:
		return firstErr
	case sent == 0:
		// The ticket is in the store for the admin API either way.
		log.Warn("router: no notify sink takes tickets; ticket not announced", "ticket", id, "queue", t.Queue)
	default:
		log.Debug("router: ticket announced", "ticket", id, "code", t.Code, "queue", t.Queue, "sinks", sent)
	}
	return nil
}

// markTicket records a ticket delivery; like mark it outlives a cancelled
// ctx because the side effect already happened.
func (r *Router) markTicket(ctx context.Context, id, target string) error {
	now := time.Now
	if r.opts.Now != nil {
		now = r.opts.Now
	}
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := r.db.MarkTicketDelivered(mctx, id, target, now()); err != nil {
		return fmt.Errorf("handoff: router: %w", err)
	}
	return nil
}
