package handoff

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
)

// TimerConsumerName is the durable pull consumer of fired timers (stable).
const TimerConsumerName = "timers"

// JetStream message schedule headers (nats-server 2.12+). A schedule is
// stored on its own subject (one per subject: publishing again replaces it,
// the server adds a subject rollup); when it fires, the server publishes its
// payload to the target without the schedule headers and, for a one-shot
// "@at" schedule, purges the schedule message.
const (
	headerSchedule       = "Nats-Schedule"
	headerScheduleTarget = "Nats-Schedule-Target"
)

// SubjectTimerSchedule is where the message schedule of timer kind/id lives.
func SubjectTimerSchedule(kind, id string) string { return "baton.timer.sched." + kind + "." + id }

// SubjectTimerFire is where timer kind/id fires.
func SubjectTimerFire(kind, id string) string { return "baton.timer.fire." + kind + "." + id }

const subjectTimerFirePrefix = "baton.timer.fire."

// ScheduleMsg returns the outbox message that schedules t to fire at fireAt
// (on the NATS server's clock; TimerPolicy.FireAt): published on
// SubjectTimerSchedule with "Nats-Schedule: @at <fireAt, RFC 3339 UTC>" and
// its fire subject as target, carrying payload (the queue for reopen,
// empty otherwise). fireAt is rounded up to the second (the format has
// no fraction), so a timer never fires early.
func ScheduleMsg(t store.Timer, payload string, fireAt, now time.Time) store.OutboxMsg {
	return store.OutboxMsg{
		ID: store.NewID(now), Subject: SubjectTimerSchedule(t.Kind, t.ID), Payload: []byte(payload), CreatedAt: now,
		Headers: map[string]string{
			headerSchedule:       "@at " + scheduleTime(fireAt),
			headerScheduleTarget: SubjectTimerFire(t.Kind, t.ID),
		},
	}
}

func scheduleTime(t time.Time) string {
	t = t.UTC()
	if t.Nanosecond() != 0 {
		t = t.Truncate(time.Second).Add(time.Second)
	}
	return t.Format(time.RFC3339)
}

// PurgeTimers removes the message schedules (and any fired message not yet
// consumed) of timers from the stream: an erasure calls it with
// store.UserTimers read before the user's rows are deleted, so no subject
// naming the user's timers is left behind.
func PurgeTimers(ctx context.Context, js jetstream.JetStream, timers []store.Timer) error {
	if len(timers) == 0 {
		return nil
	}
	s, err := js.Stream(ctx, StreamName)
	if err != nil {
		return fmt.Errorf("handoff: purge timers: %w", err)
	}
	for _, t := range timers {
		for _, subj := range []string{SubjectTimerSchedule(t.Kind, t.ID), SubjectTimerFire(t.Kind, t.ID)} {
			if err := s.Purge(ctx, jetstream.WithPurgeSubject(subj)); err != nil {
				return fmt.Errorf("handoff: purge timer %s %s: %w", t.Kind, t.ID, err)
			}
		}
	}
	return nil
}

// TimerOptions are the optional settings of a TimerConsumer.
type TimerOptions struct {
	// MaxDeliver bounds deliveries of one fired timer; default DefaultMaxDeliver.
	MaxDeliver int
	// RetryDelay is the Nak delay of a failed attempt; default 5 s.
	RetryDelay time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
	// OnOutbox wakes the outbox relay after a timer is re-scheduled.
	OnOutbox func()
	// GiveUpDelay is when a timer whose firing failed MaxDeliver times in
	// a row fires again; default 12 × RetryDelay (1 min).
	GiveUpDelay time.Duration
	// OverdueAfter is how long past due a pending timer must be for the
	// overdue sweep (SweepOverdue, run this often) to schedule it again;
	// default MaxDeliver × RetryDelay + GiveUpDelay + 2 min.
	OverdueAfter time.Duration
}

// TimerConsumer is the durable pull consumer of fired timers. Each firing is
// re-validated against the store before anything happens: the timer row
// must still be pending and due, the conversation still in the state the
// timer was set for and (for handoff timers) still holding the same open
// handoff. A firing that no longer applies cancels its row and does nothing
// else.
type TimerConsumer struct {
	db     *store.DB
	js     jetstream.JetStream
	app    Applier
	timers *TimerConfig
	opts   TimerOptions
	log    *slog.Logger

	fired   *prometheus.CounterVec
	handled atomic.Uint64
}

// NewTimerConsumer returns a consumer of js that applies lifecycle events
// through app (*skill.Server) and reads timers and conversations from db.
// timers supplies the policy used to re-schedule a reopen whose queue is
// still closed (nil: notify anyway). Run starts it.
func NewTimerConsumer(db *store.DB, js jetstream.JetStream, app Applier, timers *TimerConfig, logger *slog.Logger, opts TimerOptions) *TimerConsumer {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxDeliver <= 0 {
		opts.MaxDeliver = DefaultMaxDeliver
	}
	if opts.RetryDelay <= 0 {
		opts.RetryDelay = 5 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	opts = giveUpDefaults(opts)
	return &TimerConsumer{
		db: db, js: js, app: app, timers: timers, opts: opts, log: logger.With("component", "timers"),
		fired: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "baton_timers_fired_total",
			Help: "Fired timers by kind and result (applied, stale, retry, poison).",
		}, []string{"kind", "result"}),
	}
}

// Collectors returns the consumer's metrics for a Prometheus registry.
func (c *TimerConsumer) Collectors() []prometheus.Collector {
	return []prometheus.Collector{c.fired}
}

// Handled returns how many fired timers the consumer has finished (acked
// or terminated).
func (c *TimerConsumer) Handled() uint64 { return c.handled.Load() }

// ConsumerConfig returns the settings of the durable consumer.
func (c *TimerConsumer) ConsumerConfig() jetstream.ConsumerConfig {
	return jetstream.ConsumerConfig{
		Durable:       TimerConsumerName,
		Description:   "Baton timers: fired wait timeouts, after-hours expiries, reopen notices, idle sessions",
		FilterSubject: subjectTimerFirePrefix + ">",
		AckPolicy:     jetstream.AckExplicitPolicy,
		DeliverPolicy: jetstream.DeliverAllPolicy,
		MaxDeliver:    c.opts.MaxDeliver,
		AckWait:       time.Minute,
		MaxAckPending: 256,
	}
}

// Run creates or updates the consumer and handles fired timers one at a
// time until ctx ends, retrying while NATS or the stream is not there; once
// consuming, it runs SweepOverdue every OverdueAfter. It returns nil when
// ctx ends.
func (c *TimerConsumer) Run(ctx context.Context) error {
	for wait := 100 * time.Millisecond; ; wait = min(2*wait, 5*time.Second) {
		cc, err := c.consume(ctx)
		if err == nil {
			if c.sweepUntilDone(ctx, cc.Closed()) {
				cc.Stop()
				<-cc.Closed()
				return nil
			}
			// The consumer or its stream was deleted: create it again.
			wait = 100 * time.Millisecond
			err = errors.New("handoff: timers: consume ended")
		}
		c.log.Warn("timers: consumer not ready; retrying", "err", err, "retry_in", wait)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
}

func (c *TimerConsumer) consume(ctx context.Context) (jetstream.ConsumeContext, error) {
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	cons, err := createConsumer(cctx, c.js, c.ConsumerConfig(), c.log)
	if err != nil {
		return nil, fmt.Errorf("handoff: timers: consumer: %w", err)
	}
	cc, err := cons.Consume(func(msg jetstream.Msg) { c.handle(ctx, msg) }, consumeOpts(16, c.log, "timers")...)
	if err != nil {
		return nil, fmt.Errorf("handoff: timers: consume: %w", err)
	}
	return cc, nil
}

// handle processes one fired timer and acks, naks or terminates it. A
// panic while processing it is recovered (recovered), counted as result
// timerPanicked, and is a failed attempt like any other: Nak'd with the
// retry delay, given up after MaxDeliver.
func (c *TimerConsumer) handle(ctx context.Context, msg jetstream.Msg) {
	kind, id, _ := parseFireSubject(msg.Subject())
	log := c.log.With("timer", kind, "id", id)
	var result string
	err := recovered(log.With("subject", msg.Subject()), func() (err error) {
		result, err = c.process(ctx, msg, log)
		return err
	})
	if errors.Is(err, errPanicked) {
		c.fired.WithLabelValues(kind, timerPanicked).Inc()
	}
	if ctx.Err() != nil && err != nil {
		return // shutting down: redelivered later
	}
	attempt := uint64(1)
	if meta, _ := msg.Metadata(); meta != nil {
		attempt = meta.NumDelivered
	}
	switch {
	case err == nil:
		if aerr := msg.Ack(); aerr != nil {
			log.Warn("timers: ack failed; the timer will be redelivered", "err", aerr)
		}
		c.fired.WithLabelValues(kind, result).Inc()
		c.handled.Add(1)
	case errors.Is(err, errPoison) || attempt >= uint64(c.opts.MaxDeliver):
		log.Error("timers: giving up on a fired timer", "attempt", attempt, "err", err)
		c.fired.WithLabelValues(kind, "poison").Inc()
		if !errors.Is(err, errPoison) {
			c.scheduleAfterGiveUp(ctx, kind, id, string(msg.Data()), log)
		}
		_ = msg.Term()
		c.handled.Add(1)
	default:
		log.Warn("timers: fired timer failed; retrying", "attempt", attempt, "err", err, "retry_in", c.opts.RetryDelay)
		c.fired.WithLabelValues(kind, "retry").Inc()
		_ = msg.NakWithDelay(c.opts.RetryDelay)
	}
}

func parseFireSubject(subj string) (kind, id string, ok bool) {
	rest, ok := strings.CutPrefix(subj, subjectTimerFirePrefix)
	if !ok {
		return "", "", false
	}
	kind, id, ok = strings.Cut(rest, ".")
	return kind, id, ok && kind != "" && id != "" && !strings.Contains(id, ".")
}

// Results of a processed firing.
const (
	timerApplied = "applied"
	timerStale   = "stale"
	// timerPanicked counts a firing whose processing panicked, besides its
	// retry or poison.
	timerPanicked = "panic"
)

// process re-validates and carries out one fired timer. It returns the
// result, or an error when the firing must be retried (or errPoison).
func (c *TimerConsumer) process(ctx context.Context, msg jetstream.Msg, log *slog.Logger) (string, error) {
	kind, id, ok := parseFireSubject(msg.Subject())
	if !ok {
		return "", fmt.Errorf("%w: subject %s", errPoison, msg.Subject())
	}
	t, found, err := c.db.Timer(ctx, kind, id)
	if err != nil {
		return "", err
	}
	now := c.opts.Now()
	switch {
	case !found:
		log.Info("timers: fired timer unknown (erased); nothing done")
		return timerStale, nil
	case t.Status != store.TimerPending:
		log.Debug("timers: timer no longer pending; nothing done", "status", t.Status)
		if t.Kind == store.TimerWaitTimeout && t.Status == store.TimerFired {
			return timerStale, c.firedWaitTimeout(ctx, t, log)
		}
		return timerStale, nil
	case t.DueAt.After(now.Add(time.Second)):
		// An older schedule of a timer re-scheduled later (a refreshed idle
		// timer, a reopen moved to the opening) or a NATS clock ahead of
		// ours: schedule it again for its due time (replacing the schedule
		// of the same subject, so a newer one is not duplicated).
		// Only while the row is still due when it was read: a refresh
		// (RefreshIdle) committed meanwhile has its own, later schedule,
		// which this one must not overtake.
		log.Info("timers: early firing; scheduled again", "due", t.DueAt)
		_, err := c.scheduleAgain(ctx, t, string(msg.Data()), t.DueAt, now)
		return timerStale, err
	}
	switch kind {
	case store.TimerWaitTimeout:
		return c.handoffTimer(ctx, t, fsm.StateWaiting, fsm.EventWaitTimeout, fsm.EventWaitTimeout, log)
	case store.TimerIdle:
		return c.handoffTimer(ctx, t, fsm.StateHuman, fsm.EventEnded, ReasonIdle, log)
	case store.TimerAfterHours:
		return c.afterHours(ctx, t, log)
	case store.TimerReopen:
		return c.reopen(ctx, t, string(msg.Data()), now, log)
	}
	return "", fmt.Errorf("%w: timer kind %q", errPoison, kind)
}

// stale cancels a pending timer that no longer applies.
func (c *TimerConsumer) stale(ctx context.Context, t store.Timer, why string, log *slog.Logger) (string, error) {
	if _, err := c.db.FinishTimer(ctx, t.Kind, t.ID, store.TimerCancelled, c.opts.Now()); err != nil {
		return "", err
	}
	log.Info("timers: timer no longer applies; cancelled", "why", why)
	return timerStale, nil
}

// handoffTimer applies event for a timer of an open handoff the conversation
// still holds in state.
func (c *TimerConsumer) handoffTimer(ctx context.Context, t store.Timer, state fsm.State, event, reason string, log *slog.Logger) (string, error) {
	_, conv, found, err := c.db.Load(ctx, t.UserKey)
	if err != nil {
		return "", err
	}
	if !found || conv.State != state || conv.HandoffID != t.HandoffID {
		return c.stale(ctx, t, "conversation moved on", log)
	}
	h, ok, err := c.db.Handoff(ctx, t.HandoffID)
	if err != nil {
		return "", err
	}
	if !ok || !h.EndedAt.IsZero() || (state == fsm.StateWaiting && !h.AcceptedAt.IsZero()) {
		return c.stale(ctx, t, "handoff ended or taken", log)
	}
	if t.Kind == store.TimerIdle {
		// handoff.one_on_one_idle was turned off (a reload) after this
		// timer was scheduled: the current config decides, not the old one.
		if off, err := c.idleOff(ctx, h); err != nil || off {
			if err != nil {
				return "", err
			}
			return c.stale(ctx, t, "idle close turned off", log)
		}
	}
	res, err := c.apply(ctx, t, event, reason, log)
	if err != nil || res != timerApplied || t.Kind != store.TimerWaitTimeout {
		return res, err
	}
	// The timeout is committed: a dealer that never had the request is
	// reported now (a retry of this firing comes back through
	// firedWaitTimeout).
	return res, c.dealerUnanswered(ctx, h, log)
}

// idleOff reports whether the current timer policy closes no idle session
// like h (handoff.one_on_one_idle: off for a 1:1 handoff, or a failed-over
// one).
func (c *TimerConsumer) idleOff(ctx context.Context, h store.Handoff) (bool, error) {
	p := c.timers.Policy()
	if p == nil {
		return false, nil
	}
	idle, err := c.idleFor(ctx, p, h)
	return idle <= 0, err
}

// idleFor is p's idle time of the accepted handoff h
// (TimerPolicy.IdleForHandoff), reading whether the router failed a dealer
// handoff over.
func (c *TimerConsumer) idleFor(ctx context.Context, p *TimerPolicy, h store.Handoff) (time.Duration, error) {
	failed := false
	if isDealerTarget(h.Target) {
		var err error
		if failed, err = c.db.DealerFailed(ctx, h.ID); err != nil {
			return 0, err
		}
	}
	return p.IdleForHandoff(h.Queue, h.Target, failed), nil
}

// afterHours moves a conversation still in after_hours back to bot.
func (c *TimerConsumer) afterHours(ctx context.Context, t store.Timer, log *slog.Logger) (string, error) {
	_, conv, found, err := c.db.Load(ctx, t.UserKey)
	if err != nil {
		return "", err
	}
	if !found || conv.State != fsm.StateAfterHours {
		return c.stale(ctx, t, "conversation left after_hours", log)
	}
	return c.apply(ctx, t, fsm.EventExpire, fsm.ReasonAfterHoursExpired, log)
}

// HandoffApplier is an Applier that can also apply an event only while the
// conversation still holds one handoff (checked under the user's lock);
// *skill.Server satisfies it. A TimerConsumer uses it when app has it, so a
// handoff timer racing a cancel and a new escalation cannot end the new
// handoff.
type HandoffApplier interface {
	ApplyFor(ctx context.Context, userKey, handoffID, event, reason string) (fsm.Outcome, error)
}

// WhenApplier is an Applier that can also apply an event only while a
// condition holds, asked under the user's lock (skill.Server.ApplyWhen).
// A TimerConsumer uses it when app has it for the timers of no handoff, so
// a firing whose timer a turn replaced meanwhile changes nothing.
type WhenApplier interface {
	ApplyWhen(ctx context.Context, userKey, event, reason string, still func(context.Context) (bool, error)) (fsm.Outcome, error)
}

// apply steps event through the skill server (which commits the new state,
// the handoff's end, the dealer's cancel and — through Effects — the timer
// marked fired) and makes sure the row is no longer pending.
func (c *TimerConsumer) apply(ctx context.Context, t store.Timer, event, reason string, log *slog.Logger) (string, error) {
	var err error
	wa, when := c.app.(WhenApplier)
	if ha, ok := c.app.(HandoffApplier); ok && t.HandoffID != "" {
		_, err = ha.ApplyFor(ctx, t.UserKey, t.HandoffID, event, reason)
	} else if when {
		_, err = wa.ApplyWhen(ctx, t.UserKey, event, reason, func(ctx context.Context) (bool, error) {
			cur, found, err := c.db.Timer(ctx, t.Kind, t.ID)
			return found && cur.Status == store.TimerPending, err
		})
	} else {
		_, err = c.app.Apply(ctx, t.UserKey, event, reason)
	}
	if errors.Is(err, fsm.ErrNoTransition) {
		return c.stale(ctx, t, "event no longer applies", log)
	}
	if err != nil {
		return "", fmt.Errorf("handoff: timer %s: apply %s: %w", t.Kind, event, err)
	}
	// Effects with a timer policy marked it fired in the same commit; this
	// covers a server built without one.
	if _, err := c.db.FinishTimer(ctx, t.Kind, t.ID, store.TimerFired, c.opts.Now()); err != nil {
		return "", err
	}
	log.Info("timers: timer fired", "event", event, "reason", reason)
	return timerApplied, nil
}

// reopen records the reopen notification of a friend who is not already
// with a human, once queue is open; while it is still closed (a holiday
// added after the timer was set) the timer moves to the next opening.
func (c *TimerConsumer) reopen(ctx context.Context, t store.Timer, queue string, now time.Time, log *slog.Logger) (string, error) {
	u, conv, found, err := c.db.Load(ctx, t.UserKey)
	if err != nil {
		return "", err
	}
	switch {
	case !found:
		return c.stale(ctx, t, "user gone", log)
	case !u.IsFriend:
		return c.stale(ctx, t, "not a friend", log)
	case conv.State == fsm.StateWaiting || conv.State == fsm.StateHuman:
		return c.stale(ctx, t, "already with a human", log)
	}
	if p := c.timers.Policy(); p != nil && p.Hours != nil {
		if open, _ := p.Hours.Open(queue, now); !open {
			t.DueAt = p.ReopenDue(queue, t.ID, now)
			if err := c.reschedule(ctx, t, queue, now); err != nil {
				return "", err
			}
			log.Info("timers: queue still closed; reopen moved", "due", t.DueAt)
			return timerStale, nil
		}
	}
	n := &store.Notification{UserKey: t.UserKey, Kind: store.NotifyReopen, Ref: queue, NotBefore: t.DueAt, CreatedAt: now}
	changed, err := c.db.FinishTimer(ctx, t.Kind, t.ID, store.TimerFired, now, store.AddNotificationOp(n))
	if err != nil {
		return "", err
	}
	if !changed {
		return timerStale, nil
	}
	log.Info("timers: reopen notification recorded", "notification", n.ID)
	return timerApplied, nil
}

// reschedule publishes t's schedule again for t.DueAt (moving the row's due
// time), unless the timer stopped being pending meanwhile.
func (c *TimerConsumer) reschedule(ctx context.Context, t store.Timer, payload string, now time.Time) error {
	msg := ScheduleMsg(t, payload, c.timers.Policy().FireAt(t.DueAt, now), now)
	changed, err := c.db.RescheduleTimer(ctx, t, msg)
	if err != nil {
		return err
	}
	if changed && c.opts.OnOutbox != nil {
		c.opts.OnOutbox()
	}
	return nil
}

// RefreshIdle restarts the idle timer of handoff id (a dealer event showed
// the session is alive): due HumanIdle from now, its schedule replaced. A
// handoff without a pending idle timer (not in a dealer session, or idle
// timers off) is left alone. It returns an error only when the store fails.
func (c *TimerConsumer) RefreshIdle(ctx context.Context, handoffID string) error {
	p := c.timers.Policy()
	if p == nil {
		return nil
	}
	idle := or(p.HumanIdle, DefaultHumanIdle)
	if idle <= 0 {
		return nil
	}
	t, found, err := c.db.Timer(ctx, store.TimerIdle, handoffID)
	if err != nil || !found || t.Status != store.TimerPending {
		return err
	}
	now := c.opts.Now()
	t.DueAt = now.Add(idle)
	return c.reschedule(ctx, t, "", now)
}

// Repair schedules the timers missing from conversations that wait without
// one (store.ConversationsWithoutTimer): data from before timers existed, or
// written by a server without a timer policy. A waiting handoff's timeout
// counts from the handoff's creation, a human session's idle timer from its
// acceptance (an accepted one_on_one handoff left open by an older version
// is closed at the next firing when that is long past). It returns how many
// it scheduled.
func (c *TimerConsumer) Repair(ctx context.Context) (int, error) {
	p := c.timers.Policy()
	if p == nil {
		return 0, nil
	}
	keys, err := c.db.ConversationsWithoutTimer(ctx)
	if err != nil {
		return 0, err
	}
	now := c.opts.Now()
	n := 0
	for _, key := range keys {
		_, conv, found, err := c.db.Load(ctx, key)
		if err != nil {
			return n, err
		}
		if !found {
			continue
		}
		var t store.Timer
		switch conv.State {
		case fsm.StateWaiting:
			h, ok, err := c.db.Handoff(ctx, conv.HandoffID)
			if err != nil {
				return n, err
			}
			if !ok || !h.EndedAt.IsZero() || !h.AcceptedAt.IsZero() {
				continue // no timer can end it; the next turn or event will
			}
			t = store.Timer{Kind: store.TimerWaitTimeout, ID: h.ID, UserKey: key, HandoffID: h.ID,
				DueAt: h.CreatedAt.Add(p.WaitFor(h.Queue, h.Target)), CreatedAt: now}
		case fsm.StateAfterHours:
			t = store.Timer{Kind: store.TimerAfterHours, ID: p.newID(now), UserKey: key,
				DueAt: p.AfterHoursDue(conv.Queue, now), CreatedAt: now}
		case fsm.StateHuman:
			h, ok, err := c.db.Handoff(ctx, conv.HandoffID)
			if err != nil {
				return n, err
			}
			if !ok || !h.EndedAt.IsZero() || h.AcceptedAt.IsZero() {
				continue
			}
			idle, err := c.idleFor(ctx, p, h)
			if err != nil {
				return n, err
			}
			if idle <= 0 {
				continue // idle timers off for this kind of session
			}
			t = store.Timer{Kind: store.TimerIdle, ID: h.ID, UserKey: key, HandoffID: h.ID,
				DueAt: h.AcceptedAt.Add(idle), CreatedAt: now}
		default:
			continue
		}
		if err := c.db.ScheduleTimer(ctx, t, ScheduleMsg(t, "", p.FireAt(t.DueAt, now), now)); err != nil {
			return n, err
		}
		n++
	}
	if n > 0 && c.opts.OnOutbox != nil {
		c.opts.OnOutbox()
	}
	return n, nil
}
