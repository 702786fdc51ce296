package handoff

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/baton-chat/baton/store"
)

// ticketDealerFailed is the reason of the ticket opened when a dealer never
// took a handoff: a final failure seen by the router, or a wait timeout
// reached before the dealer acknowledged the request. The tickets table
// keeps one ticket per (handoff, reason), so both paths together open one.
const ticketDealerFailed = "dealer_failed"

// dealerUnanswered opens the dealer_failed ticket of dealer handoff h when
// its wait timeout fires before the dealer acknowledged the request (no
// "dealer:<name>" delivery mark): a dealer outage longer than the wait
// timeout must still reach an agent. Opening the ticket queues its
// ticket.created event in the same commit, so the router tells the
// ticket-capable notify sinks (the handoff itself is ended by the timeout:
// an accept link would no longer work). It runs before the timeout is applied and is
// idempotent, so a crash or redelivery in between opens no second ticket.
// A handoff the router already failed over (":failed" mark) has its ticket.
func (c *TimerConsumer) dealerUnanswered(ctx context.Context, h store.Handoff, log *slog.Logger) error {
	name, isDealer := strings.CutPrefix(h.Target, "dealer:")
	if !isDealer {
		return nil
	}
	done, err := c.db.Deliveries(ctx, h.ID)
	if err != nil {
		return fmt.Errorf("handoff: timer: dealer fallback of %s: %w", h.ID, err)
	}
	if _, ok := done[h.Target]; ok {
		return nil // the dealer has it; the timeout only cancels it there
	}
	if _, ok := done[h.Target+":failed"]; ok {
		return nil
	}
	now := c.opts.Now()
	t := store.Ticket{ID: store.NewID(now), HandoffID: h.ID, UserKey: h.UserKey, Queue: h.Queue, Code: h.Code,
		Reason: ticketDealerFailed, CreatedAt: now,
		Detail: fmt.Sprintf("dealer %s did not acknowledge the handoff within the wait timeout", name)}
	created, err := c.db.OpenTicket(ctx, t, store.OutboxMsg{
		ID: store.NewID(now), Subject: SubjectTicket(t.ID, TicketCreated), Payload: []byte(t.ID), CreatedAt: now,
	})
	if err != nil {
		return fmt.Errorf("handoff: timer: dealer fallback of %s: %w", h.ID, err)
	}
	if created {
		log.Warn("timers: dealer never acknowledged the handoff before its wait timeout; ticket opened",
			"handoff", h.ID, "dealer", name)
		if c.opts.OnOutbox != nil {
			c.opts.OnOutbox()
		}
	}
	return nil
}
