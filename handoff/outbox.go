package handoff

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync/atomic"
	"time"

	"github.com/baton-chat/baton/store"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
)

// Relay defaults.
const (
	DefaultRelaySweep  = 2 * time.Second
	DefaultRelayBatch  = 256
	relayAckTimeout    = 5 * time.Second
	relayMaxBackoff    = 5 * time.Second
	relayFirstBackoff  = 100 * time.Millisecond
	relayMarkTimeout   = 10 * time.Second
	relayReadTimeout   = 5 * time.Second
	relayPublishFailed = "outbox publish failed; rows kept, retrying"
)

// Relay publishes committed outbox rows to JetStream. Each row is published
// with its ULID as the JetStream Msg-Id, so a row published twice (a crash
// between the ack and MarkPublished, a sweep racing a wake) is stored once
// within the stream's 2-minute dedupe window; a row is marked published only
// after JetStream acknowledged it. Rows pending at start-up are published on
// the first pass, so a restart loses nothing. When NATS is down the rows stay
// in the outbox and the relay retries with backoff. Acknowledged rows are
// marked in one write per MarkDelay (or per Batch rows), and when Run ends.
//
// Rows reach a pass in one of two ways: handed over by Committed right after
// their COMMIT (no read of the outbox), or read from the outbox on Wake,
// on every Sweep, at start-up and after any failure. Either way a row is
// published only once its transaction is on disk: Committed is called after
// the store answered the commit, which it does after the fsync, and
// store.PendingOutbox returns only rows an fsync already covered.
type Relay struct {
	// Sweep is how often the relay looks for pending rows without a Wake
	// (the safety net); default DefaultRelaySweep.
	Sweep time.Duration
	// Batch bounds the rows published per pass; default DefaultRelayBatch.
	Batch int
	// Now is the clock for published_at; default time.Now.
	Now func() time.Time
	// MarkDelay is how long acknowledged rows may wait to be marked
	// published, so one write marks many; default DefaultRelayMarkDelay,
	// negative marks each pass's rows at once.
	MarkDelay time.Duration

	db   *store.DB
	js   jetstream.JetStream
	log  *slog.Logger
	wake chan struct{}
	// handed holds rows given to Committed and not yet published; read
	// asks the next pass to read the outbox (Wake, the sweep, a full
	// queue, start-up).
	handed handedRows
	read   atomic.Bool
	// covered is the highest store.OutboxMsg.Seq the reads of the outbox
	// covered (store.PendingOutboxCovering): a handed row at or below it
	// is the reads' to publish (Run only).
	covered uint64
	// marks are acknowledged rows not yet marked published (Run only).
	marks pendingMarks
	// onAck, when set, is told the publish-ack latency of every row.
	onAck atomic.Pointer[func(time.Duration)]
	// published counts rows acknowledged by JetStream, each once while
	// held for its mark (holdMarks).
	published  atomic.Uint64
	ackSeconds prometheus.Histogram
	failures   prometheus.Counter
}

// NewRelay returns a relay from db's outbox to js. Run starts it.
func NewRelay(db *store.DB, js jetstream.JetStream, logger *slog.Logger) *Relay {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	r := &Relay{
		db: db, js: js, log: logger.With("component", "relay"), wake: make(chan struct{}, 1),
		ackSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "baton_outbox_publish_ack_seconds",
			Help:    "Time from publishing an outbox row to JetStream's ack.",
			Buckets: prometheus.ExponentialBuckets(0.0002, 2, 14),
		}),
		failures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "baton_outbox_publish_failures_total",
			Help: "Relay passes that failed (NATS down, no ack); the rows stay in the outbox.",
		}),
	}
	r.read.Store(true) // rows left by a previous process
	return r
}

// Collectors returns the relay's metrics for a Prometheus registry: the
// publish-ack latency histogram (its count is the rows published) and the
// failed passes.
func (r *Relay) Collectors() []prometheus.Collector {
	return []prometheus.Collector{r.ackSeconds, r.failures}
}

// Wake asks the relay to read the outbox now. It never blocks; callers that
// committed outbox rows without handing them to Committed call it after
// the commit.
func (r *Relay) Wake() {
	r.read.Store(true)
	r.poke()
}

// poke wakes Run without asking for a read.
func (r *Relay) poke() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// SetAckObserver installs fn to be told the JetStream publish-ack latency of
// each published row (for metrics and benchmarks); nil removes it.
func (r *Relay) SetAckObserver(fn func(time.Duration)) {
	if fn == nil {
		r.onAck.Store(nil)
		return
	}
	r.onAck.Store(&fn)
}

// Published returns how many rows JetStream has acknowledged so far, each
// row once: also a row republished by the pass after a failed or panicked
// one, and a row handed to Committed after reads of the outbox published it.
func (r *Relay) Published() uint64 { return r.published.Load() }

// Run publishes pending rows on every Wake and every Sweep until ctx ends.
// It returns nil when ctx ends; failures are logged and retried.
func (r *Relay) Run(ctx context.Context) error {
	sweep := r.Sweep
	if sweep <= 0 {
		sweep = DefaultRelaySweep
	}
	ticker := time.NewTicker(sweep)
	defer ticker.Stop()
	defer func() {
		if err := r.flushMarks(ctx); err != nil {
			r.log.Warn("outbox rows published but not marked; they are republished (deduped) at start-up", "err", err)
		}
	}()
	backoff := time.Duration(0)
	for {
		more, err := r.recoveredPass(ctx)
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			r.failures.Inc()
			backoff = min(max(2*backoff, relayFirstBackoff), relayMaxBackoff)
			r.log.Warn(relayPublishFailed, "err", err, "retry_in", backoff)
			ensureStreamAfter(ctx, r.js, err, r.log)
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(backoff):
			}
			continue
		}
		backoff = 0
		if more {
			continue
		}
		due, stop := r.marksTimer()
		select {
		case <-ctx.Done():
			stop()
			return nil
		case <-r.wake:
		case <-ticker.C:
			r.read.Store(true)
		case <-due:
			if err := r.flushMarks(ctx); err != nil {
				r.read.Store(true)
				r.failures.Inc()
				r.log.Warn("outbox rows published but not marked; retrying", "err", err)
			}
		}
		stop()
	}
}

// recoveredPass is pass with a panic recovered (recovered) and returned as
// its error: Run counts it a failure and retries after its backoff; the
// next pass reads the outbox, so no row taken by the panicked pass is lost.
func (r *Relay) recoveredPass(ctx context.Context) (more bool, err error) {
	err = recovered(r.log, func() (err error) {
		more, err = r.pass(ctx)
		return err
	})
	if errors.Is(err, errPanicked) {
		r.read.Store(true)
	}
	return more, err
}

// pass publishes one batch of pending rows and marks the acknowledged ones.
// more is true when more rows may be waiting. After a failure the next pass
// reads the outbox.
func (r *Relay) pass(ctx context.Context) (more bool, err error) {
	defer func() {
		if err != nil {
			r.read.Store(true)
		}
	}()
	batch := r.Batch
	if batch <= 0 {
		batch = DefaultRelayBatch
	}
	if len(r.marks.ids) > 0 && !time.Now().Before(r.marks.due) {
		// Due while passes kept Run busy (a backlog, NATS failing).
		if err := r.flushMarks(ctx); err != nil {
			return false, err
		}
	}
	rows, more, err := r.next(ctx, batch)
	if err != nil {
		return false, err
	}
	if len(rows) == 0 {
		// A handed batch of rows published already leaves nothing to
		// send, but the queue may hold more: take them now, not at the
		// next sweep.
		return more, nil
	}
	acked, pubErr := r.publish(ctx, rows)
	if err := r.holdMarks(ctx, acked, batch); err != nil {
		return false, err
	}
	if pubErr != nil {
		return false, pubErr
	}
	return more, nil
}

// next returns the rows of the next pass: up to batch rows handed to
// Committed, or, when a read was asked for, up to batch rows read from the
// outbox (the handed rows are then dropped: they were committed before the
// read, so it sees them, now or on a later pass). more is true when more
// rows may be waiting.
func (r *Relay) next(ctx context.Context, batch int) (rows []store.OutboxMsg, more bool, err error) {
	// A full queue dropped rows: read them.
	if !r.read.Swap(false) && !r.handed.overflowed() {
		rows, more = r.handed.take(batch)
		return r.notPublished(rows), more, nil
	}
	r.handed.reset()
	// Rows published but not yet marked are still pending: read past them.
	limit := batch + len(r.marks.ids)
	rctx, cancel := context.WithTimeout(ctx, relayReadTimeout)
	read, covers, err := r.db.PendingOutboxCovering(rctx, limit)
	cancel()
	if err != nil {
		return nil, false, err
	}
	// Every row marked so far was committed before this read: a late
	// hand-over of it is at or below covers now.
	r.covered = max(r.covered, covers)
	r.marks.forget()
	rows = read[:0]
	for _, m := range read {
		if !r.marks.has(m.ID) {
			rows = append(rows, m)
		}
	}
	if len(read) == limit {
		r.read.Store(true) // read the rest on the next pass
		return rows, true, nil
	}
	return rows, false, nil
}

// notPublished returns the handed rows that are this pass's to publish. A
// read of the outbox may have published a row before it was handed, and
// its hand-over may lag any number of reads: the read's answer and the
// turn's reply come from the same fsync, in either order
// (store.PendingOutbox), and the turn's goroutine may wait to be scheduled.
// Such a row is at or below the Seq the reads covered, or, until the read
// after its publication, held in the marks or marked lately. A row handed
// twice goes out once.
func (r *Relay) notPublished(rows []store.OutboxMsg) []store.OutboxMsg {
	kept := rows[:0]
	for _, m := range rows {
		if m.Seq != 0 && m.Seq <= r.covered || r.marks.has(m.ID) ||
			slices.ContainsFunc(kept, func(k store.OutboxMsg) bool { return k.ID == m.ID }) {
			continue
		}
		kept = append(kept, m)
	}
	return kept
}

// ackedRow is a row JetStream acknowledged and how long its ack took.
type ackedRow struct {
	id   string
	took time.Duration
}

// publish sends rows asynchronously and waits for their acks; it returns the
// rows JetStream acknowledged and the first failure. The acks are counted
// and observed once the rows are held for their marks (holdMarks).
func (r *Relay) publish(ctx context.Context, rows []store.OutboxMsg) ([]ackedRow, error) {
	type sent struct {
		id  string
		at  time.Time
		fut jetstream.PubAckFuture
	}
	futs := make([]sent, 0, len(rows))
	var firstErr error
	for _, row := range rows {
		msg := &nats.Msg{Subject: row.Subject, Data: row.Payload}
		if len(row.Headers) > 0 {
			msg.Header = nats.Header{}
			for k, v := range row.Headers {
				msg.Header.Set(k, v)
			}
		}
		start := time.Now()
		fut, err := r.js.PublishMsgAsync(msg, jetstream.WithMsgID(row.ID))
		if err != nil {
			firstErr = fmt.Errorf("handoff: relay: publish %s to %s: %w", row.ID, row.Subject, err)
			break
		}
		futs = append(futs, sent{row.ID, start, fut})
	}
	timeout := time.NewTimer(relayAckTimeout)
	defer timeout.Stop()
	acked := make([]ackedRow, 0, len(futs))
	for _, f := range futs {
		select {
		case <-f.fut.Ok():
			acked = append(acked, ackedRow{f.id, time.Since(f.at)})
		case err := <-f.fut.Err():
			if firstErr == nil {
				firstErr = fmt.Errorf("handoff: relay: publish %s: %w", f.id, err)
			}
		case <-timeout.C:
			if firstErr == nil {
				firstErr = fmt.Errorf("handoff: relay: publish %s: no ack within %v", f.id, relayAckTimeout)
			}
			return acked, firstErr
		case <-ctx.Done():
			return acked, ctx.Err()
		}
	}
	return acked, firstErr
}
