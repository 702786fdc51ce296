package handoff

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// ticketDealerFailed is the reason of the ticket opened when a dealer never
// took a handoff: a final failure seen by the router (a final refusal, the
// last delivery, or a failure once handoff.dealer_failover_after has passed
// since the first failed attempt), or a wait timeout reached before the
// dealer acknowledged the request. The tickets table keeps one ticket per
// (handoff, reason), so both paths together open one.
const ticketDealerFailed = "dealer_failed"

// TicketReasonDealerFailed is the reason of that ticket, for the admin API:
// closing it ends the handoff still open for it (ReasonTicketClosed).
const TicketReasonDealerFailed = ticketDealerFailed

// dealerUnanswered opens the dealer_failed ticket of dealer handoff h once
// its wait timeout has closed it, when the dealer never acknowledged the
// request (no "dealer:<name>" delivery mark) and the router did not fail it
// over (a ":failed" mark, whose ticket exists): a dealer outage longer than
// the wait timeout must still reach an agent. The store checks all of this
// and inserts the ticket in one transaction, and only for a handoff ended
// by its wait timeout and never accepted, so a dealer's accept that won
// the race against the timeout leaves no ticket (the timeout then did not
// apply), and one that lost it finds the handoff ended. Opening the ticket
// queues its ticket.created event in the same commit, so the router tells
// the ticket-capable notify sinks (an accept link would no longer work). It
// runs after the timeout is applied and again on every redelivery of the
// fired timer (the ticket is unique per handoff and reason), so a crash in
// between loses no ticket.
func (c *TimerConsumer) dealerUnanswered(ctx context.Context, h store.Handoff, log *slog.Logger) error {
	name, isDealer := strings.CutPrefix(h.Target, "dealer:")
	if !isDealer {
		return c.notifyUnanswered(ctx, h, log)
	}
	now := c.opts.Now()
	t := store.Ticket{ID: store.NewID(now), HandoffID: h.ID, Reason: ticketDealerFailed, CreatedAt: now,
		Detail: fmt.Sprintf("dealer %s did not acknowledge the handoff within the wait timeout", name)}
	created, err := c.db.OpenWaitTimeoutTicket(ctx, t, fsm.EventWaitTimeout, ticketCreatedMsg(t.ID, now))
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

// firedWaitTimeout finishes a wait timeout fired before: a crash or a store
// error after the timeout was applied left its dealer_failed ticket
// undecided, so it is decided again (dealerUnanswered is idempotent).
func (c *TimerConsumer) firedWaitTimeout(ctx context.Context, t store.Timer, log *slog.Logger) error {
	h, ok, err := c.db.Handoff(ctx, t.HandoffID)
	if err != nil || !ok {
		return err
	}
	return c.dealerUnanswered(ctx, h, log)
}
