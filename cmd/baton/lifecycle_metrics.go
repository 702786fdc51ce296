package main

import (
	"context"
	"log/slog"
	"math"
	"regexp"
	"sync"
	"time"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/store"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
)

// lifecycleMetrics turns what the store knows about handoffs into metrics:
// handoffs opened by queue, reason and target; wait time (opened → taken)
// and handle time (taken → ended) histograms; abandonment (ended before a
// human took it, by end reason). The sweep loop feeds it every minute from
// the handoffs table, so every path that accepts or ends a handoff (dealer
// events, accept/end links, the admin API, timers, user turns) is counted
// without each of them knowing about metrics. It also exports, on each
// scrape, the age of the oldest unpublished outbox row and the timer backlog.
// Labels are queue names and target kinds from the config and reason codes,
// never users or block names.
type lifecycleMetrics struct {
	db  *store.DB
	log *slog.Logger
	now func() time.Time

	mu   sync.Mutex
	last time.Time // end of the window already counted

	opened    *prometheus.CounterVec
	wait      *prometheus.HistogramVec
	handle    *prometheus.HistogramVec
	ended     *prometheus.CounterVec
	abandoned *prometheus.CounterVec
}

// handoffBuckets span a few seconds to a few hours.
var handoffBuckets = []float64{5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400}

func newLifecycleMetrics(db *store.DB, log *slog.Logger, now func() time.Time, reg prometheus.Registerer) *lifecycleMetrics {
	l := &lifecycleMetrics{
		db: db, log: log.With("component", "metrics"), now: now, last: now().Add(-scanLag),
		opened: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "baton_handoffs_opened_total",
			Help: "Handoffs opened, by queue, reason (keyword, menu, faq_misses, mapped, ...) and target kind (notify, dealer:<name>, external). Test traffic excluded."},
			[]string{"queue", "reason", "target"}),
		wait: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "baton_handoff_wait_seconds",
			Help: "Time from a handoff's opening to a human taking it.", Buckets: handoffBuckets}, []string{"queue", "target"}),
		handle: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "baton_handoff_handle_seconds",
			Help: "Time from a human taking a handoff to its end.", Buckets: handoffBuckets}, []string{"queue", "target"}),
		ended: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "baton_handoffs_ended_total",
			Help: "Handoffs ended, by queue, target and whether a human had taken them (accepted=true|false)."},
			[]string{"queue", "target", "accepted"}),
		abandoned: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "baton_handoffs_abandoned_total",
			Help: "Handoffs that ended while waiting (no human took them), by queue, target and end reason (cancel, wait_timeout, not_connected, ...)."},
			[]string{"queue", "target", "reason"}),
	}
	gauge := func(name, help string, f func(ctx context.Context) float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			return f(ctx)
		})
	}
	reg.MustRegister(l.opened, l.wait, l.handle, l.ended, l.abandoned,
		gauge("baton_outbox_oldest_unpublished_seconds", "Age of the oldest outbox row not yet published to NATS (0: none). Grows while NATS is down.",
			func(ctx context.Context) float64 {
				at, ok, err := db.OldestUnpublished(ctx)
				if err != nil || !ok {
					return 0
				}
				return max(0, now().Sub(at).Seconds())
			}),
		gauge("baton_timers_pending", "Timers waiting for their JetStream schedule.", func(ctx context.Context) float64 {
			p, _, _ := db.TimerBacklog(ctx, now())
			return float64(p)
		}),
		gauge("baton_timers_overdue", "Pending timers already past due (their schedule has not fired).", func(ctx context.Context) float64 {
			_, o, _ := db.TimerBacklog(ctx, now())
			return float64(o)
		}),
	)
	return l
}

// labelRE is what a reason or target may look like in a label; anything
// else is reported as "other".
var labelRE = regexp.MustCompile(`^[a-z0-9_:.-]{1,48}$`)

func label(s string) string {
	if labelRE.MatchString(s) {
		return s
	}
	if s == "" {
		return "none"
	}
	return "other"
}

// scanLag keeps the newest seconds out of a scan: a handoff stamped just
// before a scan may commit just after it, and would never be counted.
const scanLag = 10 * time.Second

// scan counts the handoffs opened, taken or ended since the last scan, up
// to scanLag ago.
func (l *lifecycleMetrics) scan(ctx context.Context) {
	l.mu.Lock()
	defer l.mu.Unlock()
	to := l.now().Add(-scanLag)
	if !to.After(l.last) {
		return
	}
	events, err := l.db.HandoffEvents(ctx, l.last, to)
	if err != nil {
		l.log.Warn("lifecycle metrics: read handoffs", "err", err)
		return
	}
	in := func(t time.Time) bool { return !t.IsZero() && t.After(l.last) && !t.After(to) }
	for _, e := range events {
		q, tg := label(e.Queue), label(e.Target)
		if in(e.CreatedAt) {
			l.opened.WithLabelValues(q, label(e.Reason), tg).Inc()
		}
		if in(e.AcceptedAt) {
			l.wait.WithLabelValues(q, tg).Observe(max(0, e.AcceptedAt.Sub(e.CreatedAt).Seconds()))
		}
		if in(e.EndedAt) {
			accepted := !e.AcceptedAt.IsZero()
			l.ended.WithLabelValues(q, tg, map[bool]string{true: "true", false: "false"}[accepted]).Inc()
			if accepted {
				l.handle.WithLabelValues(q, tg).Observe(max(0, e.EndedAt.Sub(e.AcceptedAt).Seconds()))
			} else {
				l.abandoned.WithLabelValues(q, tg, label(e.EndReason)).Inc()
			}
		}
	}
	l.last = to
}

// registerConsumerMetrics exports the router consumer's backlog, read from
// JetStream on each scrape: messages not yet delivered and messages
// delivered but not yet acknowledged. Both are NaN while NATS cannot answer
// (/readyz then says degraded and the outbox age grows instead).
func registerConsumerMetrics(reg prometheus.Registerer, js jetstream.JetStream) {
	info := func() (*jetstream.ConsumerInfo, error) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		c, err := js.Consumer(ctx, handoff.StreamName, handoff.RouterName)
		if err != nil {
			return nil, err
		}
		return c.Info(ctx)
	}
	reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "baton_router_consumer_pending",
			Help: "Messages in the BATON stream the router has not been delivered yet."}, func() float64 {
			ci, err := info()
			if err != nil {
				return math.NaN()
			}
			return float64(ci.NumPending)
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "baton_router_consumer_ack_pending",
			Help: "Messages delivered to the router and not yet acknowledged."}, func() float64 {
			ci, err := info()
			if err != nil {
				return math.NaN()
			}
			return float64(ci.NumAckPending)
		}),
	)
}
