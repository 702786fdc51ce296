package handoff

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/store"
	"github.com/prometheus/client_golang/prometheus"
)

// budgetZone is Korea Standard Time (no daylight saving): the day a budget is
// booked on.
var budgetZone = time.FixedZone("KST", 9*60*60)

// Skip details recorded on notifications the deliverer does not send. They
// name a reason, never a person.
const (
	SkipNotFriend = "not a friend of the channel"
	SkipTest      = "test traffic"
	SkipBudget    = "over the daily budget"
	SkipNoEvent   = "no event block configured for this kind"
	SkipNoBot     = "no bot id known for the user"
	SkipTooOld    = "older than event_api.stale_after"
)

// EventDeliverer sends pending notifications (store.Notifications) through
// the Event API: only to friends of the channel, never to test traffic,
// within the daily budget and the client-side rate limit, at most 100
// distinct users per call, grouped by (bot id, event name). Every call is
// recorded before it is made, so a restart neither resends a message nor
// forgets money; task statuses are polled and the spend is counted when a
// task reports success.
type EventDeliverer struct {
	db     *store.DB
	client *EventAPIClient
	cfg    configs.EventAPI
	log    *slog.Logger
	m      *eventMetrics

	// Now is the clock; default time.Now.
	Now func() time.Time
	// Interval is how often pending notifications and open tasks are
	// looked at; default 5 s.
	Interval time.Duration
	// PollEvery is the wait between task-status polls of one send; default 10 s.
	PollEvery time.Duration
	// GiveUpAfter: a task not final this long after the call is marked
	// unknown (its reservation stays counted); default 2 h.
	GiveUpAfter time.Duration
	// RetryAfter delays a call Kakao refused with 429/5xx or that never
	// connected; default 1 min. MaxRetries bounds how often a message is
	// tried again after such a refusal (README: "retried up to three
	// times"): default 3, so four tries in all, each RetryAfter after the
	// refusal before it (not doubled), cover an outage of about three
	// minutes.
	RetryAfter time.Duration
	MaxRetries int
	// Batch bounds the notifications read per round; default 500.
	Batch int

	lastCall time.Time

	// unrecorded holds, by send id, the record of an outcome Kakao gave
	// (accepted with a task id, refused, unknown) that the store refused:
	// DeliverOnce runs it again (recordKept) until it succeeds, and
	// recoverSends leaves that send to it. The call is never made again.
	mu         sync.Mutex
	unrecorded map[string]func(context.Context) error
}

// NewEventDeliverer returns a deliverer for cfg (its events, budget, price
// and rate limit) sending through client.
func NewEventDeliverer(db *store.DB, client *EventAPIClient, cfg configs.EventAPI, log *slog.Logger) *EventDeliverer {
	if cfg.WonPerMessage <= 0 {
		cfg.WonPerMessage = configs.DefaultWonPerMessage
	}
	if cfg.CallsPerSecond <= 0 {
		cfg.CallsPerSecond = configs.DefaultCallsPerSecond
	}
	return &EventDeliverer{db: db, client: client, cfg: cfg, log: log.With("component", "eventapi"), m: newEventMetrics(),
		Now: time.Now, Interval: 5 * time.Second, PollEvery: 10 * time.Second, GiveUpAfter: 2 * time.Hour,
		RetryAfter: time.Minute, MaxRetries: 3, Batch: 500}
}

// Collectors returns the deliverer's metrics for registration:
// baton_eventapi_messages_total{result=sent|succeeded|skipped|failed} and
// baton_eventapi_won_total.
func (d *EventDeliverer) Collectors() []prometheus.Collector {
	return []prometheus.Collector{d.m.messages, d.m.won}
}

// Run recovers sends a crash left mid-call, then delivers and polls every
// Interval until ctx ends. It returns nil when ctx ends.
func (d *EventDeliverer) Run(ctx context.Context) error {
	if err := d.Recover(ctx); err != nil {
		d.log.Error("eventapi: recover", "err", err)
	}
	t := time.NewTicker(d.Interval)
	defer t.Stop()
	for {
		d.round(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Recover marks every send still "sending" — recorded, but the process
// stopped before Kakao's answer was recorded — as unknown: it may have been
// accepted, so it is never resent, and its reservation stays counted. A
// send whose answer this process holds, the store having refused its
// record (record), is left to recordKept instead.
func (d *EventDeliverer) Recover(ctx context.Context) error {
	return d.recoverSends(ctx, interruptedByRestart)
}

// What interrupted a send that Recover finds open, as its log line says.
const (
	interruptedByRestart = "a restart"
	interruptedByPanic   = "a panic in this process"
)

// recoverSends is Recover, logging each send as interrupted by cause
// (interruptedByRestart or interruptedByPanic).
func (d *EventDeliverer) recoverSends(ctx context.Context, cause string) error {
	open, err := d.db.OpenEventSends(ctx)
	if err != nil {
		return err
	}
	for _, s := range open {
		if s.Status != store.EventSendSending || d.kept(s.ID) {
			continue
		}
		if err := d.db.AbandonEventSend(ctx, s.ID, "interrupted before Kakao's answer was recorded", d.Now()); err != nil {
			return err
		}
		d.log.Warn("eventapi: a call interrupted by "+cause+" is not resent", "send", s.ID, "users", s.Users)
	}
	return nil
}

// group is the recipients of one call: one bot id and one event name.
type group struct {
	bot, event, kind string
	items            []store.EventItem
}

// DeliverOnce records first the outcomes of earlier calls the store refused
// to record (recordKept), then sends what is due now. It returns how many
// notifications went out in accepted calls.
func (d *EventDeliverer) DeliverOnce(ctx context.Context) (int, error) {
	kept := d.recordKept(ctx)
	sent, err := d.deliverDue(ctx)
	return sent, errors.Join(kept, err)
}

// deliverDue sends what is due now (DeliverOnce).
func (d *EventDeliverer) deliverDue(ctx context.Context) (int, error) {
	now := d.Now()
	recips, err := d.db.PendingEventRecipients(ctx, now, d.Batch)
	if err != nil {
		return 0, err
	}
	var groups []*group
	byKey := map[[2]string]*group{}
	inCall := map[[3]string]bool{} // (bot, event, user): distinct users per call
	for _, r := range recips {
		if reason := d.skipReason(r, now); reason != "" {
			if err := d.skip(ctx, r.ID, reason, now); err != nil {
				return 0, err
			}
			continue
		}
		ev := d.cfg.Events[r.Kind]
		uk := [3]string{r.BotID, ev, r.UserKey}
		if inCall[uk] {
			continue // a second message for the same user goes in a later round
		}
		inCall[uk] = true
		k := [2]string{r.BotID, ev}
		g := byKey[k]
		if g == nil || len(g.items) == MaxEventUsers {
			g = &group{bot: r.BotID, event: ev, kind: r.Kind}
			byKey[k] = g
			groups = append(groups, g)
		}
		g.items = append(g.items, store.EventItem{NotificationID: r.ID, UserKey: r.UserKey})
	}
	sent := 0
	for _, g := range groups {
		n, err := d.send(ctx, g)
		sent += n
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

func (d *EventDeliverer) skipReason(r store.EventRecipient, now time.Time) string {
	stale := d.cfg.StaleAfter.D()
	if stale <= 0 {
		stale = configs.DefaultEventStale
	}
	switch {
	case now.Sub(r.NotBefore) > stale:
		return SkipTooOld // it would only be suppressed when its block runs
	case r.Test:
		return SkipTest
	case !r.IsFriend:
		return SkipNotFriend
	case d.cfg.Events[r.Kind] == "":
		return SkipNoEvent
	case r.BotID == "":
		return SkipNoBot
	}
	return ""
}

func (d *EventDeliverer) skip(ctx context.Context, id, reason string, now time.Time) error {
	changed, err := d.db.MarkNotification(ctx, id, store.NotificationSkipped, reason, now)
	if err != nil {
		return err
	}
	if changed {
		d.m.messages.WithLabelValues("skipped").Inc()
	}
	return nil
}

// send makes one call for g within the budget: the recipients the day's
// remaining budget cannot pay for are skipped.
func (d *EventDeliverer) send(ctx context.Context, g *group) (int, error) {
	now := d.Now()
	day := now.In(budgetZone).Format(time.DateOnly)
	price := d.cfg.WonPerMessage
	reserved, spent, err := d.db.EventSpend(ctx, day)
	if err != nil {
		return 0, err
	}
	fit := max(0, (d.cfg.DailyBudgetWon-reserved-spent)/price)
	if fit < len(g.items) {
		for _, it := range g.items[fit:] {
			if err := d.skip(ctx, it.NotificationID, SkipBudget, now); err != nil {
				return 0, err
			}
		}
		g.items = g.items[:fit]
	}
	if len(g.items) == 0 {
		return 0, nil
	}
	if err := d.wait(ctx); err != nil {
		return 0, err
	}
	now = d.Now()
	s := &store.EventSend{ID: store.NewID(now), BotID: g.bot, Event: g.event, Day: day,
		ReservedWon: len(g.items) * price, CreatedAt: now}
	err = d.db.BeginEventSend(ctx, s, g.items, d.cfg.DailyBudgetWon)
	if errors.Is(err, store.ErrOverBudget) || errors.Is(err, store.ErrConflict) {
		// Another writer moved first (a budget raced, a notification erased);
		// the next round reads the new state.
		d.log.Warn("eventapi: send not begun", "err", err)
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	req := EventRequest{Event: EventName{Name: g.event}, Params: map[string]string{EventParam: s.ID}}
	for _, it := range g.items {
		req.User = append(req.User, EventUser{Type: "botUserKey", ID: it.UserKey})
	}
	d.lastCall = d.Now()
	taskID, callErr := d.client.Talk(ctx, g.bot, req)
	// The outcome is recorded even when ctx ended mid-call, and recorded
	// again in a later round when the store refuses it (record).
	rctx := context.WithoutCancel(ctx)
	switch {
	case callErr == nil:
		d.m.messages.WithLabelValues("sent").Add(float64(len(g.items)))
		users := len(g.items)
		return users, d.record(rctx, s.ID, func(ctx context.Context) error {
			if err := d.db.AcceptEventSend(ctx, s.ID, taskID, d.Now()); err != nil {
				return err
			}
			d.log.Info("eventapi: call accepted", "send", s.ID, "kind", g.kind, "users", users)
			return nil
		})
	case errors.Is(callErr, ErrEventUnknown):
		d.log.Error("eventapi: call outcome unknown; not resent", "send", s.ID, "err", callErr)
		return 0, d.record(rctx, s.ID, func(ctx context.Context) error {
			return d.db.AbandonEventSend(ctx, s.ID, callErr.Error(), d.Now())
		})
	default:
		var retryAt time.Time
		if Retryable(callErr) {
			retryAt = d.Now().Add(d.RetryAfter)
		}
		d.log.Warn("eventapi: call refused", "send", s.ID, "retry", !retryAt.IsZero(), "err", callErr)
		return 0, d.record(rctx, s.ID, func(ctx context.Context) error {
			// FailEventSend bounds the tries: the first plus MaxRetries.
			if err := d.db.FailEventSend(ctx, s.ID, callErr.Error(), retryAt, d.MaxRetries+1, d.Now()); err != nil {
				return err
			}
			d.countFailed(ctx, s.ID)
			return nil
		})
	}
}

// record runs rec, which records the outcome Kakao gave to the call of send
// id. When the store refuses it, rec is kept and run again by every later
// DeliverOnce until it succeeds (recordKept): the outcome is known, so the
// send is neither left "sending" until a restart marks it unknown nor, ever,
// called again (Kakao may have accepted it: its users would get the message
// twice). A process that stops first leaves the send "sending", which
// Recover marks unknown at the next start, as any call interrupted before
// its answer was recorded. A panic in rec keeps nothing: the send is then
// one a panic interrupted (round).
func (d *EventDeliverer) record(ctx context.Context, id string, rec func(context.Context) error) error {
	if err := rec(ctx); err != nil {
		d.mu.Lock()
		if d.unrecorded == nil {
			d.unrecorded = make(map[string]func(context.Context) error)
		}
		d.unrecorded[id] = rec
		d.mu.Unlock()
		return fmt.Errorf("eventapi: send %s: Kakao's answer not recorded; recorded again next round, never resent: %w", id, err)
	}
	return nil
}

// recordKept runs again, oldest send first, the records of Kakao's answers
// the store refused (record), and forgets each one that succeeds. It
// returns the store's errors.
func (d *EventDeliverer) recordKept(ctx context.Context) error {
	d.mu.Lock()
	ids := slices.Sorted(maps.Keys(d.unrecorded))
	d.mu.Unlock()
	var errs []error
	for _, id := range ids {
		d.mu.Lock()
		rec := d.unrecorded[id]
		d.mu.Unlock()
		if err := rec(ctx); err != nil {
			errs = append(errs, fmt.Errorf("eventapi: send %s: Kakao's answer still not recorded; tried again next round, never resent: %w", id, err))
			continue
		}
		d.mu.Lock()
		delete(d.unrecorded, id)
		d.mu.Unlock()
		d.log.Info("eventapi: Kakao's answer recorded after the store refused it", "send", id)
	}
	return errors.Join(errs...)
}

// kept reports whether the record of send id's outcome waits in
// recordKept.
func (d *EventDeliverer) kept(id string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	_, ok := d.unrecorded[id]
	return ok
}

// countFailed counts the notifications of a refused send that will not be
// tried again.
func (d *EventDeliverer) countFailed(ctx context.Context, sendID string) {
	n, err := d.db.EventSendNotifications(ctx, sendID, store.NotificationFailed)
	if err != nil {
		d.log.Warn("eventapi: count failed", "err", err)
		return
	}
	d.m.messages.WithLabelValues("failed").Add(float64(n))
}

// wait holds the client-side rate limit: CallsPerSecond calls at most.
func (d *EventDeliverer) wait(ctx context.Context) error {
	gap := time.Second / time.Duration(d.cfg.CallsPerSecond)
	next := d.lastCall.Add(gap)
	if dly := next.Sub(d.Now()); dly > 0 && !d.lastCall.IsZero() {
		t := time.NewTimer(dly)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return nil
}

// PollOnce asks Kakao for the status of every accepted task due a poll and
// records the final ones: the messages that succeeded and the won spent.
func (d *EventDeliverer) PollOnce(ctx context.Context) error {
	open, err := d.db.OpenEventSends(ctx)
	if err != nil {
		return err
	}
	for _, s := range open {
		now := d.Now()
		if s.Status != store.EventSendAccepted || now.Sub(s.CheckedAt) < d.PollEvery {
			continue
		}
		if err := d.poll(ctx, s, now); err != nil {
			return err
		}
	}
	return nil
}

func (d *EventDeliverer) poll(ctx context.Context, s store.EventSend, now time.Time) error {
	ts, err := d.client.TaskStatus(ctx, s.TaskID)
	final, success := false, 0
	if err == nil {
		final, success = ts.Final(s.Users)
	} else {
		d.log.Warn("eventapi: task status", "send", s.ID, "err", err)
	}
	if !final {
		if now.Sub(s.CreatedAt) > d.GiveUpAfter {
			d.log.Warn("eventapi: task never became final; its reservation stays counted", "send", s.ID)
			return d.db.AbandonEventSend(ctx, s.ID, "task status not final in time", now)
		}
		return d.db.TouchEventSend(ctx, s.ID, now)
	}
	success = min(max(success, 0), s.Users)
	won := success * d.cfg.WonPerMessage
	var failedUsers []string
	detail := ""
	if ts.Fail != nil {
		for _, f := range ts.Fail.List {
			failedUsers = append(failedUsers, f.UserID)
		}
		if len(ts.Fail.List) > 0 {
			detail = "kakao error type " + strconv.Itoa(ts.Fail.List[0].ErrorMsg.ErrorType)
		}
	}
	if err := d.db.FinishEventSend(ctx, s.ID, success, won, failedUsers, detail, now); err != nil {
		return err
	}
	d.m.messages.WithLabelValues("succeeded").Add(float64(success))
	d.m.messages.WithLabelValues("failed").Add(float64(s.Users - success))
	d.m.won.Add(float64(won))
	d.log.Info("eventapi: task final", "send", s.ID, "users", s.Users, "succeeded", success, "won", won)
	return nil
}

type eventMetrics struct {
	messages *prometheus.CounterVec
	won      prometheus.Counter
}

func newEventMetrics() *eventMetrics {
	m := &eventMetrics{
		messages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "baton_eventapi_messages_total",
			Help: "Event API messages by result: sent (accepted by Kakao), succeeded (task status), skipped (not a friend, test traffic, over budget), failed.",
		}, []string{"result"}),
		won: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "baton_eventapi_won_total",
			Help: "Won spent on Event API messages, counted when a task status reports success.",
		}),
	}
	for _, r := range []string{"sent", "succeeded", "skipped", "failed"} {
		m.messages.WithLabelValues(r)
	}
	return m
}
