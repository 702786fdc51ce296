package handoff

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// ticketNotifyFailed is the reason of the ticket opened when a notify
// handoff closed unaccepted — its wait timeout, or the user's return after
// return_gap (not_connected) — before any notify sink acknowledged it: a
// sink outage as long as the wait must still reach an agent.
const ticketNotifyFailed = "notify_failed"

// notifyUnansweredEnds are the end reasons of a notify handoff nobody was
// told about that leave work for a human (fsm's wait_timeout and
// not_connected rows); a user's cancel or an agent's end do not.
var notifyUnansweredEnds = []string{fsm.EventWaitTimeout, "not_connected"}

// openNotifyUnanswered opens the notify_failed ticket of notify handoff h
// when it ended unaccepted (notifyUnansweredEnds) with no sink delivery
// recorded; the store checks all of this in the insert, and the ticket is
// unique per handoff and reason, so every caller may try again. The
// ticket's created event is queued in the same commit, so the router tells
// the ticket-capable notify sinks once they are back (the handoff's own
// accept link would no longer work). h may have been read before it ended
// (the wait timer's): only its id and target are used. created reports a
// new ticket.
func openNotifyUnanswered(ctx context.Context, db *store.DB, h store.Handoff, now time.Time) (created bool, err error) {
	if h.Target != "notify" {
		return false, nil
	}
	t := store.Ticket{ID: store.NewID(now), HandoffID: h.ID, Reason: ticketNotifyFailed, CreatedAt: now,
		Detail: "the handoff closed before any notify sink acknowledged it"}
	created, err = db.OpenNotifyUnansweredTicket(ctx, t, notifyUnansweredEnds, ticketCreatedMsg(t.ID, now))
	if err != nil {
		return false, fmt.Errorf("handoff: notify fallback of %s: %w", h.ID, err)
	}
	return created, nil
}

// notifyUnanswered is dealerUnanswered for a notify handoff whose wait
// timeout closed it: its notify_failed ticket when no sink was ever told.
func (c *TimerConsumer) notifyUnanswered(ctx context.Context, h store.Handoff, log *slog.Logger) error {
	created, err := openNotifyUnanswered(ctx, c.db, h, c.opts.Now())
	if err != nil {
		return fmt.Errorf("handoff: timer: %w", err)
	}
	if created {
		log.Warn("timers: no notify sink acknowledged the handoff before its wait timeout; ticket opened", "handoff", h.ID)
		if c.opts.OnOutbox != nil {
			c.opts.OnOutbox()
		}
	}
	return nil
}

// endedUntold handles a request for handoff h that is no longer waiting:
// one that closed unaccepted before any sink was told gets its
// notify_failed ticket instead of being dropped in silence.
func (r *Router) endedUntold(ctx context.Context, h store.Handoff, log *slog.Logger) error {
	if h.ID == "" || h.EndedAt.IsZero() || !h.AcceptedAt.IsZero() || !slices.Contains(notifyUnansweredEnds, h.EndReason) {
		return nil // the common case (a cancel, an agent's end) writes nothing
	}
	created, err := openNotifyUnanswered(ctx, r.db, h, r.now())
	if err != nil {
		return fmt.Errorf("handoff: router: %w", err)
	}
	if created {
		log.Warn("router: handoff closed before any notify sink was told; ticket opened", "handoff", h.ID)
		r.wakeOutbox() // the ticket's created event, queued with it
	}
	return nil
}
