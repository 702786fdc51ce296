package handoff

import (
	"context"
	"log/slog"
	"time"

	"github.com/baton-chat/baton/store"
)

// timerRescheduled is the baton_timers_fired_total result of a timer
// scheduled again after its firing was given up on, or found overdue by the
// sweep.
const timerRescheduled = "rescheduled"

// overdueSweepLimit bounds the timers one overdue sweep schedules again.
const overdueSweepLimit = 500

// giveUpDefaults fills GiveUpDelay and OverdueAfter of opts, whose
// MaxDeliver and RetryDelay are already set.
func giveUpDefaults(opts TimerOptions) TimerOptions {
	if opts.GiveUpDelay <= 0 {
		opts.GiveUpDelay = 12 * opts.RetryDelay
	}
	if opts.OverdueAfter <= 0 {
		// Past every delivery of the firing, the re-schedule after giving
		// up, the ack wait (1 min) and a margin.
		opts.OverdueAfter = time.Duration(opts.MaxDeliver)*opts.RetryDelay + opts.GiveUpDelay + 2*time.Minute
	}
	return opts
}

// scheduleAfterGiveUp schedules timer kind/id to fire again GiveUpDelay from
// now once its firing failed MaxDeliver times in a row (a store outage, say):
// the terminated firing leaves the row pending with no schedule left, and
// without a new one the conversation would wait for good. The row keeps its
// due time (baton_timers_overdue counts it). When the store fails here too,
// the failure is logged and SweepOverdue schedules the row later.
func (c *TimerConsumer) scheduleAfterGiveUp(ctx context.Context, kind, id, payload string, log *slog.Logger) {
	t, found, err := c.db.Timer(ctx, kind, id)
	if err != nil {
		log.Error("timers: given-up timer not scheduled again; the overdue sweep will", "err", err)
		return
	}
	if found && t.Kind == store.TimerWaitTimeout && t.Status == store.TimerFired {
		// The timeout committed, and what follows it failed every time:
		// the dealer_failed ticket of a dealer that never had the request
		// (firedWaitTimeout). Nothing else would ever open it, so a firing
		// of the fired row is scheduled again, to do that part.
		c.scheduleFiredWaitTimeout(ctx, t, payload, log)
		return
	}
	if !found || t.Status != store.TimerPending {
		return
	}
	now := c.opts.Now()
	changed, err := c.scheduleAgain(ctx, t, payload, now.Add(c.opts.GiveUpDelay), now)
	if err != nil {
		log.Error("timers: given-up timer not scheduled again; the overdue sweep will", "err", err)
		return
	}
	if changed {
		c.fired.WithLabelValues(kind, timerRescheduled).Inc()
		log.Warn("timers: given-up timer scheduled again", "retry_in", c.opts.GiveUpDelay)
	}
}

// scheduleFiredWaitTimeout queues a firing of the fired wait timeout t
// GiveUpDelay from now: its processing finds the row fired and does what
// follows a committed timeout again (firedWaitTimeout), which the ticket's
// one-per-handoff rule keeps to one ticket.
func (c *TimerConsumer) scheduleFiredWaitTimeout(ctx context.Context, t store.Timer, payload string, log *slog.Logger) {
	now := c.opts.Now()
	msg := ScheduleMsg(t, payload, c.timers.Policy().FireAt(now.Add(c.opts.GiveUpDelay), now), now)
	if err := c.db.QueueOutbox(ctx, msg); err != nil {
		log.Error("timers: given-up wait timeout's ticket not scheduled again", "err", err)
		return
	}
	if c.opts.OnOutbox != nil {
		c.opts.OnOutbox()
	}
	c.fired.WithLabelValues(t.Kind, timerRescheduled).Inc()
	log.Warn("timers: given-up wait timeout scheduled again for what follows it", "retry_in", c.opts.GiveUpDelay)
}

// scheduleAgain publishes a new schedule of the pending timer t firing at
// at, keeping its due time, and reports whether t was still pending at
// that due time: false when it finished or was rescheduled since t was read
// (an idle timer refreshed), which then has its own schedule.
func (c *TimerConsumer) scheduleAgain(ctx context.Context, t store.Timer, payload string, at, now time.Time) (bool, error) {
	msg := ScheduleMsg(t, payload, c.timers.Policy().FireAt(at, now), now)
	changed, err := c.db.RepublishTimer(ctx, t, msg)
	if changed && err == nil && c.opts.OnOutbox != nil {
		c.opts.OnOutbox()
	}
	return changed, err
}

// SweepOverdue schedules to fire now the pending wait_timeout, idle,
// after_hours and reopen timers overdue by more than OverdueAfter: their
// firing was given up on and could not be scheduled again, or their
// schedule was lost (with the JetStream store), so nothing else would ever
// end the wait or send the reopen notice. A reopen timer's queue comes from
// its row (escalation.queue for a row from before it was stored, like a
// reopen set without a queue). Nothing is swept while the
// outbox holds a row older than that (NATS is behind: the schedules may
// still be on their way). It returns how many it scheduled and the store's
// error. Run calls it every OverdueAfter.
func (c *TimerConsumer) SweepOverdue(ctx context.Context) (int, error) {
	now := c.opts.Now()
	cutoff := now.Add(-c.opts.OverdueAfter)
	oldest, behind, err := c.db.OldestUnpublished(ctx)
	if err != nil {
		return 0, err
	}
	if behind && oldest.Before(cutoff) {
		c.log.Info("timers: outbox behind; overdue sweep skipped", "oldest", oldest)
		return 0, nil
	}
	ts, err := c.db.OverdueTimers(ctx, cutoff, overdueSweepLimit,
		store.TimerWaitTimeout, store.TimerIdle, store.TimerAfterHours, store.TimerReopen)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, t := range ts {
		payload := ""
		if t.Kind == store.TimerReopen {
			if payload = t.Queue; payload == "" {
				payload = c.timers.Policy().DefaultQueue
			}
		}
		changed, err := c.scheduleAgain(ctx, t, payload, now, now)
		if err != nil {
			return n, err
		}
		if changed {
			n++
			c.fired.WithLabelValues(t.Kind, timerRescheduled).Inc()
			c.log.Warn("timers: overdue timer scheduled again", "timer", t.Kind, "id", t.ID, "due", t.DueAt)
		}
	}
	return n, nil
}

// sweepUntilDone runs SweepOverdue every OverdueAfter until ctx ends (done
// is true) or closed is closed (the consume ended; done is false).
func (c *TimerConsumer) sweepUntilDone(ctx context.Context, closed <-chan struct{}) (done bool) {
	tick := time.NewTicker(c.opts.OverdueAfter)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return true
		case <-closed:
			return false
		case <-tick.C:
			if _, err := c.SweepOverdue(ctx); err != nil && ctx.Err() == nil {
				c.log.Warn("timers: overdue sweep", "err", err)
			}
		}
	}
}
