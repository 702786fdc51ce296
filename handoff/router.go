package handoff

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/baton-chat/baton/store"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
)

// RouterName is the durable pull consumer of the router (stable).
const RouterName = "router"

// Router defaults.
const (
	DefaultMaxDeliver = 10
	DefaultWorkers    = 8
	// DefaultAckWait is how long the router consumer waits for an ack, a
	// nak or a heartbeat before it redelivers a message (a router that
	// died holding it).
	DefaultAckWait = 5 * time.Second
	// ContextTurns is how many of the user's last turns a handoff carries.
	ContextTurns = 10
)

// routerBackOff is the router's retry schedule: a failed delivery is Nak'd
// with the delay of its attempt. It is not the consumer's BackOff: see
// ConsumerConfig.
var routerBackOff = []time.Duration{
	5 * time.Second, 10 * time.Second, 20 * time.Second, 40 * time.Second, time.Minute,
	2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
}

// DealerTarget is a 상담톡 dealer the router hands a request to
// (target "dealer:<name>"). The dealer client of docs/dealer-contract.md
// implements it.
type DealerTarget interface {
	// Request announces handoff h with its context to the dealer. It
	// returns an error unless the dealer accepted it (2xx or 409); one
	// wrapping ErrLocal is Baton's own (a store error before the call),
	// which the router retries without counting it against the dealer.
	Request(ctx context.Context, h store.Handoff, c Context) error
	// Cancel tells the dealer that h was cancelled by the user or Baton.
	// It returns an error unless the dealer accepted it.
	Cancel(ctx context.Context, h store.Handoff) error
}

// RouterOptions are the optional settings of a Router.
type RouterOptions struct {
	// Dealers maps a dealer name to its client; a missing dealer makes its
	// requests fall back to the notify sinks.
	Dealers map[string]DealerTarget
	// Links mints the accept/end links; nil sends none.
	Links *Links
	// MaxDeliver bounds the deliveries of one message the router processes;
	// the last one that fails terminates it with a router_poison ticket
	// (a delivery after it, when that ticket could not be written, only
	// writes the ticket). A delivery after it with no failure the router
	// kept (the last one was interrupted: the router stopped or the
	// process died) is processed once more, up to maxUnfinishedDeliveries
	// times (see Router.afterLast); default DefaultMaxDeliver.
	MaxDeliver int
	// Workers process messages in parallel (one handoff always on the same
	// worker); default DefaultWorkers.
	Workers int
	// RetryDelay overrides the Nak delay of a failed delivery (tests);
	// default the router's backoff schedule (5 s, 10 s, 20 s, …).
	RetryDelay time.Duration
	// AckWait is the consumer's ack deadline: a message neither acked,
	// nak'd nor kept alive by the router's heartbeat (every 3/10 of it)
	// for that long is redelivered; default DefaultAckWait.
	AckWait time.Duration
	// Now is the clock for delivery records and the failover delay;
	// default time.Now.
	Now func() time.Time
	// DealerFailoverAfter returns handoff.dealer_failover_after of the
	// config in force: a dealer failing transiently (5xx, unreachable) that
	// long after its first failed attempt on a handoff is failed over to the
	// notify sinks and a dealer_failed ticket at once instead of after
	// MaxDeliver deliveries. Nil, or a result of 0 or less, retries until
	// MaxDeliver.
	DealerFailoverAfter func() time.Duration
	// Contacts opens the handoff intake answers for Context.Intake; nil
	// sends none.
	Contacts *store.ContactBox
	// OnOutbox wakes the outbox relay after the router opened a ticket
	// (no_sink, router_poison, dealer_failed), whose ticket.opened row the
	// store queued: without it the row waits for the relay's sweep.
	OnOutbox func()
}

// Router is the durable pull consumer that turns handoff requests into
// notifications and dealer calls. It re-reads the handoff before every side
// effect, records each successful delivery per (handoff, target) and skips
// recorded ones on redelivery.
type Router struct {
	db    *store.DB
	js    jetstream.JetStream
	sinks []Sink
	opts  RouterOptions
	log   *slog.Logger

	delivered *prometheus.CounterVec
	poison    prometheus.Counter
	panics    prometheus.Counter
	handled   atomic.Uint64
	requests  inFlight // handoffs whose request is being handled (erasure cancels wait for them)
	causes    poisonCauses

	// crashAfter, set by tests only, is called after a sink's 2xx to a
	// request and before its record; an error stops the delivery there, as
	// a process that died at that point would (the record is not written).
	crashAfter func(sink string) error
}

// NewRouter returns a router from js to sinks and opts.Dealers, reading
// handoffs from db. Run starts it.
func NewRouter(db *store.DB, js jetstream.JetStream, sinks []Sink, logger *slog.Logger, opts RouterOptions) *Router {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxDeliver <= 0 {
		opts.MaxDeliver = DefaultMaxDeliver
	}
	if opts.Workers <= 0 {
		opts.Workers = DefaultWorkers
	}
	if opts.AckWait <= 0 {
		opts.AckWait = DefaultAckWait
	}
	return &Router{
		db: db, js: js, sinks: sinks, opts: opts, log: logger.With("component", "router"),
		delivered: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "baton_router_deliveries_total",
			Help: "Handoff deliveries by the router, by target kind and result (ok, error; no_sink: a notify handoff with no notify sink configured, which no agent hears of).",
		}, []string{"target", "result"}),
		poison: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "baton_router_poison_total",
			Help: "Messages the router terminated (undecodable or out of deliveries); each should become a ticket.",
		}),
		panics: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "baton_router_panics_total",
			Help: "Deliveries whose processing panicked; each was recovered and counts as a failed attempt.",
		}),
	}
}

// Collectors returns the router's metrics for a Prometheus registry.
func (r *Router) Collectors() []prometheus.Collector {
	return []prometheus.Collector{r.delivered, r.poison, r.panics}
}

// Handled returns how many messages the router has finished (acked or
// terminated).
func (r *Router) Handled() uint64 { return r.handled.Load() }

// ConsumerConfig returns the settings of the router's durable consumer.
//
// It sets AckWait and no BackOff, on purpose. A failed delivery is Nak'd
// with its own delay, which nats-server applies by back-dating the
// message's delivery to now − AckWait + delay. With a BackOff, AckWait is
// BackOff[0] but delivery n falls due only BackOff[n−1] after that time,
// so a Nak of delay d on delivery n came back after
// d + BackOff[n−1] − BackOff[0] (d, then d + 5 s, d + 15 s … with the
// router's schedule): every retry after the first waited longer than
// asked. Without a BackOff, a Nak's delay is the wait; a message the
// router stops answering for (it died) comes back after AckWait.
//
// Its MaxDeliver is unlimited (-1), also on purpose: RouterOptions.MaxDeliver
// is the router's own bound, after which it terminates the message with a
// router_poison ticket. A consumer MaxDeliver would drop, without a word, a
// message whose last delivery ended without that ticket (the store refused
// it, or the router stopped); without one, the message comes back until it
// is delivered or its ticket is written (see handle and afterLast).
func (r *Router) ConsumerConfig() jetstream.ConsumerConfig {
	return jetstream.ConsumerConfig{
		Durable:        RouterName,
		Description:    "Baton router: handoff requests and events, and tickets, to notify sinks and dealers",
		FilterSubjects: routerSubjects(),
		AckPolicy:      jetstream.AckExplicitPolicy,
		DeliverPolicy:  jetstream.DeliverAllPolicy,
		MaxDeliver:     -1,
		AckWait:        r.opts.AckWait,
		MaxAckPending:  1000,
	}
}

// Run creates or updates the consumer and processes messages until ctx
// ends, retrying with backoff while NATS or the stream is not there (it
// creates a missing stream) and when a consume ends (its consumer was
// deleted). In-flight
// messages are finished; unacknowledged ones are redelivered later. It
// returns nil when ctx ends.
func (r *Router) Run(ctx context.Context) error {
	queues := make([]*workQueue, r.opts.Workers)
	work := newInWork()
	var wg sync.WaitGroup
	for i := range queues {
		queues[i] = newWorkQueue()
		wg.Go(func() {
			for {
				h, ok := queues[i].pop(ctx)
				if !ok {
					return
				}
				r.handle(ctx, h.msg, h.release)
			}
		})
	}
	wg.Go(func() { work.keep(ctx, r.opts.AckWait*3/10) })
	defer wg.Wait()
	for wait := 100 * time.Millisecond; ; wait = min(2*wait, 5*time.Second) {
		cc, err := r.consume(ctx, queues, work)
		if err == nil {
			select {
			case <-ctx.Done():
				cc.Stop()
				return nil
			case <-cc.Closed():
				// The consumer or its stream was deleted: create it again.
				wait = 100 * time.Millisecond
				err = errors.New("handoff: router: consume ended")
			}
		}
		r.log.Warn("router: consumer not ready; retrying", "err", err, "retry_in", wait)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
}

// held is a message waiting for a worker; release ends its heartbeat.
type held struct {
	msg     jetstream.Msg
	release func()
}

// consume creates or updates the durable consumer and starts feeding the
// workers' queues. A message is in work from here on: its heartbeat starts
// before it waits for a worker, which may be busy with a slow dealer for
// longer than AckWait. The callback never blocks (the queues are
// unbounded), so the messages nats.go has pulled behind it reach inWork at
// once too.
func (r *Router) consume(ctx context.Context, queues []*workQueue, work *inWork) (jetstream.ConsumeContext, error) {
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	cons, err := createConsumer(cctx, r.js, r.ConsumerConfig(), r.log)
	if err != nil {
		return nil, fmt.Errorf("handoff: router: consumer: %w", err)
	}
	cc, err := cons.Consume(func(msg jetstream.Msg) {
		if ctx.Err() != nil {
			return // shutting down: left for redelivery
		}
		queues[workerOf(msg, len(queues))].push(held{msg: msg, release: work.add(msg)})
	}, consumeOpts(64, r.log, "router")...)
	if err != nil {
		return nil, fmt.Errorf("handoff: router: consume: %w", err)
	}
	return cc, nil
}

// workerOf keeps every message of one handoff on one worker, in order.
func workerOf(msg jetstream.Msg, n int) int {
	h := fnv.New32a()
	h.Write(msg.Data())
	return int(h.Sum32() % uint32(n))
}

// errPoison marks a message that can never be processed.
var errPoison = errors.New("poison message")

// errOutOfDeliveries is the cause in the router_poison ticket of a message
// delivered more than maxUnfinishedDeliveries times after its last
// (RouterOptions.MaxDeliver) delivery without a failure this router kept:
// each of those ended without an outcome (the router stopped or the
// process died during it, or its ticket was refused before a restart).
var errOutOfDeliveries = errors.New("out of deliveries: the last ones ended without an outcome (the router stopped or died during them, or their ticket was not recorded before a restart)")

// handle processes one message and acks, naks or terminates it; release
// ends its heartbeat first, so that the ack, nak or term is the last word
// on msg (a heartbeat after a Nak would restart its redelivery clock). A
// panic while processing msg is recovered (recovered) and is a failed
// attempt like any other: Nak'd with the retry delay, and a router_poison
// ticket naming the panic after the last delivery.
func (r *Router) handle(ctx context.Context, msg jetstream.Msg, release func()) {
	meta, _ := msg.Metadata()
	attempt := uint64(1)
	if meta != nil {
		attempt = meta.NumDelivered
	}
	log := r.log.With("subject", msg.Subject(), "attempt", attempt)
	err := recovered(log, func() error {
		if attempt > uint64(r.opts.MaxDeliver) {
			return r.afterLast(ctx, msg, attempt, log)
		}
		return r.process(ctx, msg, log)
	})
	if errors.Is(err, errPanicked) {
		r.panics.Inc()
	}
	release()
	if ctx.Err() != nil && err != nil {
		return // shutting down: leave it for redelivery
	}
	switch {
	case err == nil:
		if aerr := msg.Ack(); aerr != nil {
			log.Warn("router: ack failed; the message will be redelivered", "err", aerr)
		}
		r.handled.Add(1)
	case errors.Is(err, errPoison) || attempt >= uint64(r.opts.MaxDeliver):
		// The payload is normally a handoff id, but a malformed message may
		// carry anything: the log names its subject (above) and size only.
		opened, announced, ok := r.poisonTicket(ctx, msg, attempt, err, log)
		if !ok {
			return // Nak'd: the ticket is tried again on the next delivery
		}
		// Counted and logged on every give-up, also one whose ticket was
		// there already (ticket_opened=false): an earlier delivery's, whose
		// Term was lost, or the handoff's ticket it yields to.
		r.poison.Inc()
		log.Error("router: poison message terminated; ticket opened", "bytes", len(msg.Data()), "err", err,
			"ticket_opened", opened, "announced", announced)
		_ = msg.Term()
		r.handled.Add(1)
	default:
		delay := r.retryDelay(attempt)
		log.Warn("router: delivery failed; retrying", "err", err, "retry_in", delay)
		_ = msg.NakWithDelay(delay)
	}
}

// retryDelay is the Nak delay of a failed delivery attempt.
func (r *Router) retryDelay(attempt uint64) time.Duration {
	if r.opts.RetryDelay > 0 {
		return r.opts.RetryDelay
	}
	return routerBackOff[min(int(attempt)-1, len(routerBackOff)-1)]
}

// poisonTicket records the router_poison ticket of msg, which failed with
// cause, before msg is terminated: a terminated message is gone, so its
// ticket is the only trace a human sees (openPoisonTicket: opened says this
// delivery wrote it, announced that the sinks are to hear of it). When the
// store fails, msg is Nak'd
// with the retry delay and poisonTicket returns ok false: the next delivery
// tries again, also after the last one (MaxDeliver), since the consumer's
// own MaxDeliver is unlimited (ConsumerConfig). A ticket is thus never lost
// to a router that stops while the store refuses it.
func (r *Router) poisonTicket(ctx context.Context, msg jetstream.Msg, attempt uint64, cause error, log *slog.Logger) (opened, announced, ok bool) {
	detail := fmt.Sprintf("%s: %v", msg.Subject(), cause)
	opened, announced, err := r.openPoisonTicket(ctx, msg, detail, log)
	if err == nil {
		return opened, announced, true
	}
	if attempt >= uint64(r.opts.MaxDeliver) {
		r.causes.keep(msg, cause) // for the ticket of the next delivery
	}
	delay := r.retryDelay(attempt)
	log.Error("router: poison message's ticket not recorded; retrying the message", "err", err, "retry_in", delay)
	_ = msg.NakWithDelay(delay)
	return false, false, false
}

// Ticket reasons the router records besides ticketDealerFailed
// (dealer_fallback.go); a user's message is store.TicketReasonUserMessage.
const (
	ticketRouterPoison = "router_poison" // a message the router could never process
	ticketNoSink       = "no_sink"       // a handoff no notify sink could be told about
)

// ticket records work a human must pick up, naming the handoff when
// handoffID is one. It returns the store's error when the handoff cannot be
// read or the ticket not written; the caller has the message delivered
// again (a lost ticket is lost work).
func (r *Router) ticket(ctx context.Context, handoffID, reason, detail string) error {
	t := store.Ticket{Reason: reason, Detail: detail}
	h, ok, err := r.db.Handoff(ctx, handoffID)
	if err != nil {
		return fmt.Errorf("handoff: router: %s ticket: %w", reason, err)
	}
	if ok {
		t.HandoffID, t.UserKey, t.Queue, t.Code, t.ContactPref, t.Test = h.ID, h.UserKey, h.Queue, h.Code, h.ContactPref, h.Test
	}
	created, err := r.db.OpenTicket(ctx, t)
	if err != nil {
		return fmt.Errorf("handoff: router: %w", err)
	}
	if created {
		r.wakeOutbox()
	}
	return nil
}

// wakeOutbox asks the relay to publish what the router's last write queued.
func (r *Router) wakeOutbox() {
	if r.opts.OnOutbox != nil {
		r.opts.OnOutbox()
	}
}

// process routes one message; it returns nil when the message is done.
func (r *Router) process(ctx context.Context, msg jetstream.Msg, log *slog.Logger) error {
	id := string(msg.Data())
	if id == "" || len(id) > 64 || strings.ContainsAny(id, ". \n") {
		return fmt.Errorf("%w: a payload of %d bytes is not a handoff id", errPoison, len(id))
	}
	if rest, ok := strings.CutPrefix(msg.Subject(), "baton.ticket."); ok {
		return r.ticketEvent(ctx, msg, id, rest, log)
	}
	rest, ok := strings.CutPrefix(msg.Subject(), "baton.handoff.")
	switch {
	case ok && strings.HasPrefix(rest, "req."):
		return r.request(ctx, msg, id, log)
	case ok && (rest == "evt."+id+"."+EventCancel || rest == "evt."+id+"."+EventTimeout):
		err := r.cancel(ctx, msg, id, log)
		return cmpErr(err, r.closed(ctx, msg, id, log)) // both tried; each skips what it recorded
	case ok && rest == "evt."+id+"."+EventEnded:
		err := r.endedCancel(ctx, msg, id, log) // router_end_cancel.go
		return cmpErr(err, r.closed(ctx, msg, id, log))
	case ok && (rest == "evt."+id+"."+EventReturned || rest == "evt."+id+"."+EventSuperseded):
		return r.closed(ctx, msg, id, log)
	case ok && rest == "erased."+id:
		return r.erasureCancel(ctx, msg, id, log)
	case ok && strings.HasPrefix(rest, "evt."+id+"."):
		return nil // other lifecycle events (routerSubjects leaves them out): acked at once
	}
	return fmt.Errorf("%w: subject %s", errPoison, msg.Subject())
}

// current re-reads handoff id; ok is false when it is gone or no longer
// waiting for a human (nothing must be sent for it).
func (r *Router) current(ctx context.Context, id string) (store.Handoff, bool, error) {
	h, found, err := r.db.Handoff(ctx, id)
	if err != nil {
		return h, false, fmt.Errorf("handoff: router: %w", err)
	}
	return h, found && h.EndedAt.IsZero() && h.AcceptedAt.IsZero(), nil
}

// request delivers a new handoff to its target.
func (r *Router) request(ctx context.Context, msg jetstream.Msg, id string, log *slog.Logger) error {
	defer r.requests.begin(id)() // before the re-read: see erasureCancel
	h, live, err := r.current(ctx, id)
	if err != nil || !live {
		if err == nil {
			log.Info("router: handoff gone, ended or taken; no request sent", "handoff", id)
			err = r.ended(ctx, msg, h, log)
		}
		return err
	}
	done, err := r.db.Deliveries(ctx, id)
	if err != nil {
		return fmt.Errorf("handoff: router: %w", err)
	}
	c, err := r.context(ctx, h)
	if err != nil {
		return err
	}
	// fresh: h was read just now, with no side effect since.
	fresh := true
	if name, isDealer := strings.CutPrefix(h.Target, "dealer:"); isDealer {
		fresh = false
		tried := r.now()
		err := r.toDealer(ctx, msg, h, name, c, done, log)
		if err == nil {
			return nil
		}
		if errors.Is(err, ErrLocal) {
			// The store failed, not the dealer: retried with the retry
			// delay (handle), with no failover clock, failover or ticket
			// for the dealer. A request the dealer already took is posted
			// again under the same Idempotency-Key, which it answers 2xx
			// or 409.
			log.Warn("router: store error on a dealer handoff; retrying, not counted against the dealer",
				"handoff", id, "dealer", name, "err", err)
			return err
		}
		if ctx.Err() != nil {
			// The router is stopping and cut the call short: the dealer
			// neither took nor refused the handoff, so this attempt
			// starts no failover clock and fails nothing over; the
			// message is left for the next router (handle).
			return err
		}
		meta, _ := msg.Metadata()
		final := errors.Is(err, errNoDealer) || errors.Is(err, ErrDealerFailed)
		if !final && (meta == nil || meta.NumDelivered < uint64(r.opts.MaxDeliver)) {
			if final, err = r.failoverDue(ctx, id, name, done, tried, err); !final {
				return err
			}
		}
		if _, again := done["dealer:"+name+":failed"]; !again {
			// A redelivery (a sink failed) goes straight to the sinks.
			if failed, ferr := r.failDealerOver(ctx, h, name, err); ferr != nil || !failed {
				if ferr == nil {
					log.Warn("router: dealer failed on a handoff accepted or ended meanwhile; not failed over",
						"handoff", id, "dealer", name, "err", err)
				}
				return ferr
			}
			log.Error("router: dealer failed; falling back to notify sinks and opening a ticket",
				"handoff", id, "dealer", name, "err", err)
		}
	}
	return r.toSinks(ctx, msg, h, c, done, fresh, log)
}

var errNoDealer = errors.New("no such dealer")

// toDealer hands h to dealer name once.
func (r *Router) toDealer(ctx context.Context, msg jetstream.Msg, h store.Handoff, name string, c Context, done map[string]time.Time, log *slog.Logger) error {
	target := "dealer:" + name
	if _, ok := done[target]; ok {
		return nil
	}
	if _, ok := done[target+":failed"]; ok {
		return fmt.Errorf("handoff: router: %s: %w", target, ErrDealerFailed)
	}
	d := r.opts.Dealers[name]
	if d == nil {
		return fmt.Errorf("handoff: router: %s: %w", target, errNoDealer)
	}
	_ = msg.InProgress()
	if err := d.Request(ctx, h, c); err != nil {
		if !errors.Is(err, ErrLocal) {
			r.delivered.WithLabelValues("dealer", "error").Inc()
		}
		return fmt.Errorf("handoff: router: %s request %s: %w", target, h.ID, err)
	}
	r.delivered.WithLabelValues("dealer", "ok").Inc()
	log.Debug("router: handed to dealer", "handoff", h.ID, "dealer", name)
	if err := r.mark(ctx, h.ID, target); err != nil {
		// The dealer took the handoff; only its record failed.
		return fmt.Errorf("handoff: router: %s took %s, not recorded: %w: %w", target, h.ID, ErrLocal, err)
	}
	return nil
}

// toSinks tells every notify sink about h once; it returns the first failure
// after trying them all (delivered sinks are recorded and skipped next time).
// fresh says h was read with nothing done since, so the first sink needs no
// re-read. A sink that sends handoff.closed gets an attempt mark before its
// POST (markAttempt), and h is read once more after the POSTs: a handoff
// that ended meanwhile is announced as over at once (ended) to the sinks
// that may have shown it.
func (r *Router) toSinks(ctx context.Context, msg jetstream.Msg, h store.Handoff, c Context, done map[string]time.Time, fresh bool, log *slog.Logger) error {
	if len(r.sinks) == 0 {
		if _, isDealer := strings.CutPrefix(h.Target, "dealer:"); isDealer {
			// Only a failed dealer falls back here, and its dealer_failed
			// ticket already says no sink is configured.
			return nil
		}
		r.delivered.WithLabelValues("notify", "no_sink").Inc()
		log.Warn("router: no notify sink configured; handoff not announced; opening a ticket", "handoff", h.ID)
		return r.ticket(ctx, h.ID, ticketNoSink, "no notify sink is configured") // an error: Nak'd, tried again
	}
	n := Notification{Handoff: h, Context: c}
	if r.opts.Links != nil {
		n.AcceptURL, n.EndURL = r.opts.Links.URL(h.ID, LinkAccept), r.opts.Links.URL(h.ID, LinkEnd)
	}
	var firstErr error
	told := 0
	for _, s := range r.sinks {
		if _, ok := done[s.Name()]; ok {
			continue
		}
		// Re-read before every side effect: the user may have cancelled
		// while an earlier sink (or the dealer) was being told. A fresh
		// read serves the first sink.
		if told > 0 || !fresh {
			cur, live, err := r.current(ctx, h.ID)
			if err != nil {
				return err
			}
			if !live {
				// Done, earlier sinks failed or not: the sinks told so far
				// hear it is over, and a handoff that closed unaccepted
				// before any sink acknowledged it gets its notify_failed
				// ticket now, as a redelivery would give it.
				return r.ended(ctx, msg, cur, log)
			}
		}
		told++
		if err := r.toSink(ctx, msg, s, n, done); err != nil {
			firstErr = cmpErr(firstErr, err)
			if errors.Is(err, errCrashed) {
				return firstErr
			}
		}
	}
	if told > 0 {
		// A POST under way when the handoff ended showed agents links that
		// no longer work: no end event may come after it (it may have been
		// handled already, by another router).
		cur, live, err := r.current(ctx, h.ID)
		if err != nil {
			return cmpErr(firstErr, err)
		}
		if !live {
			firstErr = cmpErr(firstErr, r.ended(ctx, msg, cur, log))
		}
	}
	if firstErr == nil {
		log.Debug("router: notified", "handoff", h.ID, "code", h.Code, "queue", h.Queue, "sinks", len(r.sinks))
	}
	return firstErr
}

// errCrashed wraps the error of the test hook Router.crashAfter: the
// delivery stops there, as a dead process would.
var errCrashed = errors.New("stopped after a sink's 2xx (test)")

// toSink sends the request n to sink s and records its 2xx. A sink that
// sends handoff.closed is marked as attempted first (markAttempt), so that
// a crash between its 2xx and the record still leaves it the closing
// message; a refusal (wasRefused: it certainly showed nothing) drops a mark
// this attempt wrote.
func (r *Router) toSink(ctx context.Context, msg jetstream.Msg, s Sink, n Notification, done map[string]time.Time) error {
	wrote, err := r.markAttempt(ctx, n.Handoff.ID, s, done)
	if err != nil {
		return err
	}
	_ = msg.InProgress()
	if err := s.Notify(ctx, n); err != nil {
		r.delivered.WithLabelValues("notify", "error").Inc()
		err = fmt.Errorf("handoff: router: %s: %w", s.Name(), err)
		if wrote && wasRefused(err) {
			mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			if uerr := r.db.UnmarkDelivered(mctx, n.Handoff.ID, attemptTarget(s.Name())); uerr != nil {
				return fmt.Errorf("%w; %w", err, uerr)
			}
		}
		return err
	}
	r.delivered.WithLabelValues("notify", "ok").Inc()
	if r.crashAfter != nil {
		if err := r.crashAfter(s.Name()); err != nil {
			return fmt.Errorf("%w: %w", errCrashed, err)
		}
	}
	return r.mark(ctx, n.Handoff.ID, s.Name())
}

// markAttempt records, before the first POST of a request to sink s, that s
// may hear of handoff id, when s sends handoff.closed: the answer, or its
// record, may be lost (no answer in time, a crash), and the closing
// message must still reach a sink that showed the request. wrote reports
// that this call wrote the mark (none was recorded in done).
func (r *Router) markAttempt(ctx context.Context, id string, s Sink, done map[string]time.Time) (wrote bool, err error) {
	cs, ok := s.(ClosedSink)
	if !ok || !cs.SendsClosed() {
		return false, nil
	}
	if _, ok := done[attemptTarget(s.Name())]; ok {
		return false, nil
	}
	return true, r.mark(ctx, id, attemptTarget(s.Name()))
}

// cancel tells a dealer that a handoff it was given has been cancelled or
// timed out (EventCancel, EventTimeout); endedCancel tells it of the other
// ends (EventEnded) that were not its own.
func (r *Router) cancel(ctx context.Context, msg jetstream.Msg, id string, log *slog.Logger) error {
	h, found, err := r.db.Handoff(ctx, id)
	if err != nil {
		return fmt.Errorf("handoff: router: %w", err)
	}
	name, isDealer := strings.CutPrefix(h.Target, "dealer:")
	if !found || !isDealer {
		return nil
	}
	done, err := r.db.Deliveries(ctx, id)
	if err != nil {
		return fmt.Errorf("handoff: router: %w", err)
	}
	return r.sendCancel(ctx, msg, h, name, done, log)
}

// sendCancel sends dealer name the cancel of h, once: not when done holds
// its delivery mark ("dealer:<name>:cancel"), which a sent cancel records.
func (r *Router) sendCancel(ctx context.Context, msg jetstream.Msg, h store.Handoff, name string, done map[string]time.Time, log *slog.Logger) error {
	id := h.ID
	target := "dealer:" + name + ":cancel"
	if _, ok := done[target]; ok {
		return nil
	}
	d := r.opts.Dealers[name]
	if d == nil {
		log.Warn("router: cancel for an unknown dealer dropped", "handoff", id, "dealer", name)
		return nil
	}
	_ = msg.InProgress()
	if err := d.Cancel(ctx, h); err != nil {
		r.delivered.WithLabelValues("dealer_cancel", "error").Inc()
		if errors.Is(err, ErrDealerFailed) && ctx.Err() == nil {
			// Final (dealer contract §2.3): sending it again will not
			// help, and the handoff is over on Baton's side whatever the
			// dealer does (a late session.started is answered
			// already_applied). Retried, it would end after MaxDeliver
			// as a router_poison ticket, agents' work for nothing.
			log.Error("router: dealer refused the cancel for good; not retried",
				"handoff", id, "dealer", name, "err", err)
			return nil
		}
		return fmt.Errorf("handoff: router: %s cancel %s: %w", name, id, err)
	}
	r.delivered.WithLabelValues("dealer_cancel", "ok").Inc()
	return r.mark(ctx, id, target)
}

// context builds the Context of h: its menu path, FAQ misses and the last
// ContextTurns turns up to the handoff, each as what the user said (masked)
// and what the bot did with it (botText).
func (r *Router) context(ctx context.Context, h store.Handoff) (Context, error) {
	turns, err := r.db.RecentTurns(ctx, h.UserKey, h.CreatedAt, ContextTurns)
	if err != nil {
		return Context{}, fmt.Errorf("handoff: router: %w", err)
	}
	c := Context{MenuPath: h.MenuPath, FAQMisses: h.FAQMisses, ContactPref: h.ContactPref}
	for _, t := range turns {
		if t.Utterance != "" {
			c.Turns = append(c.Turns, ContextTurn{At: t.At, From: FromUser, Text: t.Utterance})
		}
		if b := botText(t); b != "" {
			c.Turns = append(c.Turns, ContextTurn{At: t.At, From: FromBot, Text: b})
		}
	}
	return c, r.intakeContext(ctx, h.ID, &c)
}

// botText is the bot's side of turn t as the dealer contract (§2.1) gives
// it: ids, not rendered text — "faq:<entry id>", "menu:<menu id>",
// "no_match", "handoff" … (the turn record's kind, then ":" and its node
// when it has one), so that a console can show its own titles. A turn
// without a record (nothing was answered) has none.
func botText(t store.Turn) string {
	switch {
	case t.Kind == "":
		return ""
	case t.Node == "":
		return t.Kind
	}
	return t.Kind + ":" + t.Node
}

// mark records a delivery; it outlives a cancelled ctx because the side
// effect already happened.
func (r *Router) mark(ctx context.Context, id, target string) error {
	return r.markAt(ctx, id, target, r.now())
}

// markAt is mark with the delivery's time.
func (r *Router) markAt(ctx context.Context, id, target string, at time.Time) error {
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := r.db.MarkDelivered(mctx, id, target, at); err != nil {
		return fmt.Errorf("handoff: router: %w", err)
	}
	return nil
}

func cmpErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}
