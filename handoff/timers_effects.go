package handoff

import (
	"hash/fnv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// Timer policy defaults for the knobs that have no config key yet.
const (
	// DefaultAfterHoursIdle bounds a stay in after_hours: the user is moved
	// back to bot at the next opening or after this long, whichever is first.
	DefaultAfterHoursIdle = time.Hour
	// DefaultHumanIdle closes a dealer session with no dealer event for this long.
	DefaultHumanIdle = 6 * time.Hour
	// DefaultReopenStagger spreads reopen notifications after a long closure.
	DefaultReopenStagger = 30 * time.Minute
	// DefaultLongClosure is how far away an opening must be for reopen
	// notifications to be staggered (a holiday, not a lunch break).
	DefaultLongClosure = 12 * time.Hour
)

// ReasonIdle is the reason recorded when an idle timer ends a human session:
// a dealer session with no dealer event for HumanIdle, or an accepted
// one_on_one handoff OneOnOneIdle after it was accepted.
const ReasonIdle = "idle"

// TimerPolicy decides which durable timers an outcome schedules, fires and
// cancels, and when each is due. It is immutable once built and holds no
// clock: Plan takes now. NewTimerPolicy fills it from a config.
type TimerPolicy struct {
	// DealerWait and NotifyWait are handoff.wait_timeout.{dealer,notify}.
	DealerWait, NotifyWait time.Duration
	// QueueWait holds the per-queue wait_timeout overrides.
	QueueWait map[string]time.Duration
	// DealerQueues are the queues whose target is a dealer (idle timers).
	DealerQueues map[string]bool
	// OneOnOneIdle is handoff.one_on_one_idle: an accepted handoff on a
	// queue that is not a dealer's is closed this long after it was
	// accepted (configs.DefaultOneOnOneIdle when zero, off when negative).
	OneOnOneIdle time.Duration
	// DefaultQueue is escalation.queue, for a reopen without a queue.
	DefaultQueue string
	// Hours says when a queue opens next; nil means always open.
	Hours fsm.Hours
	// AfterHoursIdle, HumanIdle, ReopenStagger and LongClosure default to
	// the Default* constants when zero; a negative HumanIdle or
	// ReopenStagger turns the feature off.
	AfterHoursIdle, HumanIdle, ReopenStagger, LongClosure time.Duration
	// NewID mints timer ids (ULIDs); default store.NewID.
	NewID func(time.Time) string
	// Wall is the clock of the NATS server that fires schedules; default
	// time.Now. A timer due d after the turn's now fires d after Wall(), so
	// an injected turn clock (tests, replays) never makes JetStream fire a
	// timer early or late.
	Wall func() time.Time
}

// NewTimerPolicy returns the policy of cfg's handoff settings, asking hours
// (nil = always open) for openings — the same Hours the engine uses.
func NewTimerPolicy(cfg *configs.Config, hours fsm.Hours) *TimerPolicy {
	p := &TimerPolicy{
		DealerWait: cfg.Handoff.WaitTimeout.Dealer.D(), NotifyWait: cfg.Handoff.WaitTimeout.Notify.D(),
		QueueWait: map[string]time.Duration{}, DealerQueues: map[string]bool{},
		DefaultQueue: cfg.Escalation.Queue, Hours: hours, OneOnOneIdle: cfg.Handoff.OneOnOneIdle.D(),
	}
	for name, q := range cfg.Handoff.Queues {
		if d := q.WaitTimeout.D(); d > 0 {
			p.QueueWait[name] = d
		}
		if isDealerTarget(q.Target) {
			p.DealerQueues[name] = true
		}
	}
	return p
}

func isDealerTarget(target string) bool {
	name, ok := strings.CutPrefix(target, "dealer:")
	return ok && name != ""
}

// TimerConfig holds the current TimerPolicy; a config reload swaps it with
// Set while turns read it. The zero value (and a nil *TimerConfig) holds no
// policy: no timers.
type TimerConfig struct {
	p atomic.Pointer[TimerPolicy]
}

// NewTimerConfig returns a TimerConfig holding p.
func NewTimerConfig(p *TimerPolicy) *TimerConfig {
	c := &TimerConfig{}
	c.p.Store(p)
	return c
}

// Policy returns the current policy, nil when there is none.
func (c *TimerConfig) Policy() *TimerPolicy {
	if c == nil {
		return nil
	}
	return c.p.Load()
}

// Set replaces the policy (config reload). Timers already scheduled keep
// their due times.
func (c *TimerConfig) Set(p *TimerPolicy) { c.p.Store(p) }

// TimerRef names pending timers to fire or cancel: one timer (Kind and ID),
// every timer of a handoff (HandoffID), or a user's timers of Kind (UserKey).
type TimerRef struct {
	Kind, ID, HandoffID, UserKey string
}

// TimerPlan is what one outcome does to the durable timers, applied in this
// order: Fire (the outcome carried out their effect), Cancel, Schedule.
// Notify are pending notifications the outcome records (a dealer wait
// timeout's apology).
type TimerPlan struct {
	Fire     []TimerRef
	Cancel   []TimerRef
	Schedule []ScheduledTimer
	Notify   []store.Notification
}

// ScheduledTimer is a timer to write with the payload of its message
// schedule: the queue for reopen, empty otherwise (the fire subject names
// the timer).
type ScheduledTimer struct {
	store.Timer
	Payload string
}

// Plan decides the timers of o, the outcome of a turn or event of user u at
// now:
//   - a handoff opens: wait_timeout (per-queue, else dealer/notify wait);
//   - it is accepted: its wait_timeout is cancelled and an idle timer
//     starts (IdleFor: HumanIdle on a dealer queue, else OneOnOneIdle);
//   - it closes: its timers are cancelled (fired when the close is theirs:
//     wait_timeout, ended for idle), and a dealer wait timeout records the
//     user's apology notification;
//   - the conversation ends in after_hours: a fresh after_hours timer at the
//     next opening or after AfterHoursIdle, replacing the user's older one;
//     leaving after_hours cancels it (expire fires it);
//   - notify_on_open (friends only): a reopen timer at the next opening,
//     staggered after a long closure, replacing the user's older one.
func (p *TimerPolicy) Plan(o *fsm.Outcome, u store.User, now time.Time) TimerPlan {
	return p.PlanTurn(o, &store.TurnWrite{User: u}, now)
}

// PlanTurn is Plan for the turn or event w writes: when w accepts a handoff
// the router had failed over from its dealer (AcceptHandoff.FailedOver),
// the agent works it like a 1:1 chat, so its idle timer is OneOnOneIdle's
// (IdleForHandoff), never the dealer session's.
func (p *TimerPolicy) PlanTurn(o *fsm.Outcome, w *store.TurnWrite, now time.Time) TimerPlan {
	var plan TimerPlan
	u := w.User
	conv, key := o.Conversation, u.Key
	if key == "" {
		key = conv.UserKey
	}
	if c := o.Close; c != nil && c.ID != "" {
		if hasEvent(o, fsm.EventWaitTimeout, "") {
			plan.Fire = append(plan.Fire, TimerRef{Kind: store.TimerWaitTimeout, ID: c.ID})
			if c.NotifyDealer {
				plan.Notify = append(plan.Notify, store.Notification{UserKey: key, Kind: store.NotifyWaitTimeout,
					Ref: c.ID, CreatedAt: now, NotBefore: now})
			}
		}
		if hasEvent(o, fsm.EventEnded, ReasonIdle) {
			plan.Fire = append(plan.Fire, TimerRef{Kind: store.TimerIdle, ID: c.ID})
		}
		plan.Cancel = append(plan.Cancel, TimerRef{HandoffID: c.ID})
	}
	if hasEvent(o, fsm.EventAccepted, "") && conv.State == fsm.StateHuman && conv.HandoffID != "" {
		plan.Cancel = append(plan.Cancel, TimerRef{Kind: store.TimerWaitTimeout, ID: conv.HandoffID})
		idle := p.IdleFor(conv.Queue)
		if a := w.AcceptHandoff; a != nil {
			switch {
			case a.FailedOver:
				idle = p.oneOnOneIdle()
			case a.ByDealer:
				// A dealer's session: the dealer's rule, also when a reload
				// has removed the handoff's queue (as IdleForHandoff).
				idle = p.humanIdle()
			}
		}
		if idle > 0 {
			plan.Schedule = append(plan.Schedule, ScheduledTimer{Timer: store.Timer{Kind: store.TimerIdle,
				ID: conv.HandoffID, UserKey: key, HandoffID: conv.HandoffID, DueAt: now.Add(idle), CreatedAt: now}})
		}
	}
	if op := o.Open; op != nil && op.ID != "" {
		plan.Schedule = append(plan.Schedule, ScheduledTimer{Timer: store.Timer{Kind: store.TimerWaitTimeout,
			ID: op.ID, UserKey: key, HandoffID: op.ID, DueAt: now.Add(p.WaitFor(op.Queue, op.Target)), CreatedAt: now}})
	}
	if hasEvent(o, fsm.EventExpire, "") {
		plan.Fire = append(plan.Fire, TimerRef{Kind: store.TimerAfterHours, UserKey: key})
	}
	switch {
	case conv.State == fsm.StateAfterHours:
		id := p.newID(now)
		plan.Cancel = append(plan.Cancel, TimerRef{Kind: store.TimerAfterHours, UserKey: key})
		plan.Schedule = append(plan.Schedule, ScheduledTimer{Timer: store.Timer{Kind: store.TimerAfterHours,
			ID: id, UserKey: key, DueAt: p.AfterHoursDue(conv.Queue, now), CreatedAt: now}})
	case leftState(o, fsm.StateAfterHours):
		plan.Cancel = append(plan.Cancel, TimerRef{Kind: store.TimerAfterHours, UserKey: key})
	}
	if hasEvent(o, fsm.EventNotifyOnOpen, "") && u.IsFriend {
		queue := conv.Queue
		if queue == "" {
			queue = p.DefaultQueue
		}
		id := p.newID(now)
		plan.Cancel = append(plan.Cancel, TimerRef{Kind: store.TimerReopen, UserKey: key})
		plan.Schedule = append(plan.Schedule, ScheduledTimer{Timer: store.Timer{Kind: store.TimerReopen,
			ID: id, UserKey: key, Queue: queue, DueAt: p.ReopenDue(queue, id, now), CreatedAt: now}, Payload: queue})
	}
	return plan
}

// WaitFor is how long a handoff on queue (with target) may wait: the queue's
// wait_timeout, else handoff.wait_timeout for its target kind, else the
// config defaults.
func (p *TimerPolicy) WaitFor(queue, target string) time.Duration {
	if d := p.QueueWait[queue]; d > 0 {
		return d
	}
	if isDealerTarget(target) || (target == "" && p.DealerQueues[queue]) {
		return or(p.DealerWait, configs.DefaultDealerWait)
	}
	return or(p.NotifyWait, configs.DefaultNotifyWait)
}

// IdleFor is how long after it was accepted (or, on a dealer queue, after
// the last dealer event) a human session on queue is ended as idle: HumanIdle
// for a dealer queue, OneOnOneIdle otherwise. Zero or less: never.
func (p *TimerPolicy) IdleFor(queue string) time.Duration {
	if p.DealerQueues[queue] {
		return p.humanIdle()
	}
	return p.oneOnOneIdle()
}

// humanIdle is the idle rule of a dealer's session.
func (p *TimerPolicy) humanIdle() time.Duration {
	return max(or(p.HumanIdle, DefaultHumanIdle), 0)
}

func (p *TimerPolicy) oneOnOneIdle() time.Duration {
	return max(or(p.OneOnOneIdle, configs.DefaultOneOnOneIdle), 0)
}

// IdleForHandoff is IdleFor of a stored handoff, going by its target when
// its queue is no longer configured. A handoff the router failed over from
// its dealer (failedOver) ignores its dealer's events and is worked like a
// 1:1 chat: OneOnOneIdle after its acceptance.
func (p *TimerPolicy) IdleForHandoff(queue, target string, failedOver bool) time.Duration {
	if failedOver {
		return p.oneOnOneIdle()
	}
	if isDealerTarget(target) && !p.DealerQueues[queue] {
		return p.humanIdle()
	}
	return p.IdleFor(queue)
}

// AfterHoursDue is when a stay in after_hours on queue that starts (or is
// renewed) at now ends: the next opening, at most AfterHoursIdle away.
func (p *TimerPolicy) AfterHoursDue(queue string, now time.Time) time.Time {
	due := now.Add(or(p.AfterHoursIdle, DefaultAfterHoursIdle))
	if p.Hours == nil || queue == "" {
		return due
	}
	if open, next := p.Hours.Open(queue, now); !open && !next.IsZero() && next.Before(due) {
		return next
	}
	return due
}

// ReopenDue is when the reopen timer id for queue, set at now, fires: now
// when the queue is open, else its next opening — plus a stagger in
// [0, ReopenStagger) derived from id when that opening is at least
// LongClosure away, so a 설 backlog does not fire at once. When the next
// opening is unknown the timer fires after LongClosure and asks again.
func (p *TimerPolicy) ReopenDue(queue, id string, now time.Time) time.Time {
	if p.Hours == nil {
		return now
	}
	open, next := p.Hours.Open(queue, now)
	long := or(p.LongClosure, DefaultLongClosure)
	switch {
	case open:
		return now
	case next.IsZero():
		return now.Add(long)
	}
	if spread := or(p.ReopenStagger, DefaultReopenStagger); spread > 0 && next.Sub(now) >= long {
		h := fnv.New64a()
		h.Write([]byte(id))
		next = next.Add(time.Duration(h.Sum64() % uint64(spread)))
	}
	return next
}

func (p *TimerPolicy) newID(now time.Time) string {
	if p.NewID != nil {
		return p.NewID(now)
	}
	return store.NewID(now)
}

// or returns d, or def when d is zero (a negative d stays: "off").
func or(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// hasEvent reports whether o moved on event (with reason, when not empty).
func hasEvent(o *fsm.Outcome, event, reason string) bool {
	for _, t := range o.Transitions {
		if t.Event == event && (reason == "" || t.Reason == reason) {
			return true
		}
	}
	return false
}

// leftState reports whether o moved out of s (and did not end in it).
func leftState(o *fsm.Outcome, s fsm.State) bool {
	if o.Conversation.State == s {
		return false
	}
	for _, t := range o.Transitions {
		if t.From == s && t.To != s {
			return true
		}
	}
	return false
}

// Ops returns the store statements of the plan, in order: fire, cancel,
// schedule, then notifications.
func (plan TimerPlan) Ops(now time.Time) []store.Op {
	var ops []store.Op
	for _, r := range plan.Fire {
		ops = append(ops, r.op(store.TimerFired, now))
	}
	for _, r := range plan.Cancel {
		ops = append(ops, r.op(store.TimerCancelled, now))
	}
	for _, t := range plan.Schedule {
		ops = append(ops, store.ScheduleTimerOp(t.Timer))
	}
	for i := range plan.Notify {
		ops = append(ops, store.AddNotificationOp(&plan.Notify[i]))
	}
	return ops
}

func (r TimerRef) op(status string, now time.Time) store.Op {
	fired := status == store.TimerFired
	switch {
	case r.ID != "" && fired:
		return store.FireTimerOp(r.Kind, r.ID, now)
	case r.ID != "":
		return store.CancelTimerOp(r.Kind, r.ID, now)
	case r.HandoffID != "":
		return store.CancelHandoffTimersOp(r.HandoffID, now)
	case fired:
		return store.FireUserTimersOp(r.UserKey, r.Kind, now)
	default:
		return store.CancelUserTimersOp(r.UserKey, r.Kind, now)
	}
}

// Outbox returns the message schedules of the plan's new timers.
func (p *TimerPolicy) Outbox(plan TimerPlan, now time.Time) []store.OutboxMsg {
	var msgs []store.OutboxMsg
	for _, t := range plan.Schedule {
		msgs = append(msgs, ScheduleMsg(t.Timer, t.Payload, p.FireAt(t.DueAt, now), now))
	}
	return msgs
}

// FireAt maps due, a time on the clock that read now, onto the NATS
// server's clock (Wall), at most TimerHorizon ahead (a later timer fires
// early and is scheduled again). p may be nil (time.Now).
func (p *TimerPolicy) FireAt(due, now time.Time) time.Time {
	wall := time.Now
	if p != nil && p.Wall != nil {
		wall = p.Wall
	}
	w := wall()
	return capHorizon(w.Add(due.Sub(now)), w)
}

// addTimers schedules and cancels the durable timers o implies
// (wait_timeout, after_hours, reopen, idle): the timer rows as Ops and their
// message schedules in the outbox, so both commit with the turn.
func (e Effects) addTimers(o *fsm.Outcome, w *store.TurnWrite, now time.Time) {
	p := e.Timers.Policy()
	if p == nil {
		return
	}
	plan := p.PlanTurn(o, w, now)
	w.Ops = append(w.Ops, plan.Ops(now)...)
	w.Outbox = append(w.Outbox, p.Outbox(plan, now)...)
}
