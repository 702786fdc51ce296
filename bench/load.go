package bench

import (
	"bytes"
	"context"
	"fmt"
	"github.com/baton-chat/baton/internal/stagetrace"
	"math"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Target is a server under load.
type Target struct {
	// Name labels the target in reports ("baton", "bare").
	Name string
	// URL is the full /skill URL.
	URL string
	// Header is added to every request (e.g. the skill token header).
	Header http.Header
	// Drain, when set, does the work the target still owes for the turns
	// it answered (an in-process Baton writes the rows its journal
	// deferred). Each phase runs it at its end and counts its CPU, and the
	// saturation window its time, as the phase's: deferred work is work.
	Drain func(context.Context) error
	// Process, when set, reads the CPU time and peak RSS of the target's
	// own process, when the target runs in another one than the client
	// (baton bench --separate). Each phase's CPU is then this process's
	// (the client's) plus the target's, and its peak RSS the target's.
	Process func() (cpu time.Duration, peakRSS int64, err error)
	// Owed, when set, waits until the target's own process has done the
	// work it defers for the turns it answered (a `baton serve` writes
	// conversations' rows seconds after their turns; StoreOwed). Each
	// phase reads its CPU after Owed returns, so that work is the
	// phase's; the wait is not counted in the phase's time (the process
	// is otherwise idle: its time is not turns' time).
	Owed func(context.Context) error
	// Quiet, when set, waits until the target has finished the work its
	// turns so far left behind (StoreQuiet: queued writes, the rows it
	// defers, notify deliveries, the checkpoint of what they wrote). A
	// saturation phase runs Drain, Owed and Quiet between its warm-up and
	// its window, so that the window's time and CPU hold none of the
	// warm-up's work (Phase.WarmupDrain).
	Quiet func(context.Context) error
}

// usage is the CPU time of this process plus, when the target runs in
// its own, the target's; and the peak RSS of the process that serves (the
// target's, else this one). ok is false when the target's process could
// not be read (cpu and maxRSS are then 0): a phase with such a reading
// reports its CPU as unknown (cpuMeter).
func (l *Load) usage() (cpu time.Duration, maxRSS int64, ok bool) {
	cpu, maxRSS = usage()
	if l.target.Process == nil {
		return cpu, maxRSS, true
	}
	tc, rss, err := l.target.Process()
	if err != nil {
		return 0, 0, false
	}
	return cpu + tc, rss, true
}

// cpuMeter takes one phase's CPU readings (Load.usage). A reading that
// fails makes the phase's CPU unknown: a difference with a reading of 0
// would be the processes' whole CPU since they started, not the phase's.
type cpuMeter struct {
	l      *Load
	failed atomic.Bool
}

// read returns the CPU time and peak RSS as Load.usage does, noting a
// failed reading.
func (m *cpuMeter) read() (cpu time.Duration, maxRSS int64) {
	cpu, maxRSS, ok := m.l.usage()
	if !ok {
		m.failed.Store(true)
	}
	return cpu, maxRSS
}

// known reports whether every reading so far succeeded.
func (m *cpuMeter) known() bool { return !m.failed.Load() }

// NewClient returns the HTTP client a Load uses: keep-alive, no
// compression, no proxy, up to idle idle connections per host kept open
// (so a phase never pays for new connections after its start), and a
// 10 s timeout per request (Baton's hard deadline is 3 s).
func NewClient(idle int) *http.Client {
	tr := &http.Transport{
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          0,
		MaxIdleConnsPerHost:   idle,
		IdleConnTimeout:       90 * time.Second,
		ResponseHeaderTimeout: 10 * time.Second,
		DisableCompression:    true,
	}
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

// Load drives one target with simulated users. Its users persist across
// its phases (sessions continue). Create it with NewLoad.
type Load struct {
	target  Target
	traffic Traffic
	answers Answers
	client  *http.Client
	pool    *pool
	// windowStart, when set, is called as FixedRateAfter's measured
	// window starts (Run: Config.FixedWindow).
	windowStart func()
	// bufs hold payloads, answerBufs answers (a payload buffer is not
	// reused for the answer: the transport may still hold the body).
	bufs, answerBufs sync.Pool
}

// NewLoad returns a Load for target. users is the number of users created
// up front (0: the pool grows as the load needs, see Traffic.UserGap);
// seed makes the users and their choices reproducible (use different seeds
// for different targets in one run, so they never share a user key). A
// nil client gets NewClient(1024).
func NewLoad(target Target, traffic Traffic, answers Answers, client *http.Client, users int, seed uint64) *Load {
	if client == nil {
		client = NewClient(1024)
	}
	l := &Load{target: target, traffic: traffic, answers: answers, client: client}
	l.pool = newPool(&l.traffic, seed, users)
	l.bufs.New = func() any { b := make([]byte, 0, 4096); return &b }
	l.answerBufs.New = func() any { return bytes.NewBuffer(make([]byte, 0, 8192)) }
	return l
}

// Counts are the requests of a phase by outcome.
type Counts struct {
	Requests, OK, Fallback, RateLimited, Non200, BadBody, Errors uint64
}

// Problems is the number of requests that make a run invalid.
func (c Counts) Problems() uint64 {
	return c.Fallback + c.RateLimited + c.Non200 + c.BadBody + c.Errors
}

func (c *Counts) add(o Counts) {
	c.Requests += o.Requests
	c.OK += o.OK
	c.Fallback += o.Fallback
	c.RateLimited += o.RateLimited
	c.Non200 += o.Non200
	c.BadBody += o.BadBody
	c.Errors += o.Errors
}

// Phase is the result of one phase against one target.
type Phase struct {
	// Mode is "saturation" (closed loop) or "fixed" (open loop).
	Mode        string
	Concurrency int     // saturation: connections
	Rate        float64 // fixed: scheduled turns/s
	// Elapsed is the measured window: the saturation window after the
	// warm-up (plus the target's Drain), or the fixed-rate schedule's length.
	Elapsed time.Duration
	// Counts are the requests that completed in the measured window.
	Counts Counts
	// Outside are requests that completed outside it (warm-up, drain);
	// they count toward validity, not throughput.
	Outside Counts
	// Kinds counts the measured requests by turn kind; KindLatency is
	// their latency by kind.
	Kinds       map[Kind]uint64
	KindLatency map[Kind]Latency
	// Latency is measured from the actual send (saturation) or from the
	// scheduled send time (fixed rate, no coordinated omission).
	Latency Latency
	// Users is the number of distinct users that sent a turn.
	Users int
	// CPU is the whole process's user+system CPU time in the window
	// (client and every in-process server; 0 when unknown: a reading of
	// the target's process failed); MaxRSS the process's peak RSS in
	// bytes at the end.
	CPU    time.Duration
	MaxRSS int64
	// OwedCPU is the part of CPU spent after the window while the target
	// did the work it owed the phase's turns (Target.Owed; 0 without).
	OwedCPU time.Duration
	// WarmupDrain is the time between a saturation phase's warm-up and its
	// window while the target finished the warm-up's work (Target.Drain,
	// Owed and Quiet), and WarmupDrainCPU the CPU used meanwhile: the
	// warm-up's, in neither the window's time nor its CPU (0 when
	// unknown).
	WarmupDrain, WarmupDrainCPU time.Duration
	// FirstProblem describes the first invalid answer or error, if any.
	FirstProblem string
	// Escalated counts escalations acknowledged in the phase: answers
	// that put a user in the waiting state (operator button and
	// Traffic.WaitingLabel offered).
	Escalated uint64
	// Escalations are those acknowledged escalations (warm-up included),
	// each with its user and the handoff code its answer showed.
	Escalations []Escalation
}

// Escalation is one acknowledged escalation: the user whose turn was
// answered with the operator button, and the handoff code that answer
// showed (Answers.HandoffCard; "" when it showed none the client could
// read). A notify sink's message names the same user (when it carries
// user keys) and code, so the two identify the handoff it announces.
type Escalation struct {
	User, Code string
}

// TurnsPerSec is the rate of OK answers in the measured window.
func (p Phase) TurnsPerSec() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.Counts.OK) / p.Elapsed.Seconds()
}

// CPUPerTurn is process CPU time per OK answer in the window (with the
// work owed to those turns, Target.Owed).
func (p Phase) CPUPerTurn() time.Duration {
	if p.Counts.OK == 0 {
		return 0
	}
	return p.CPU / time.Duration(p.Counts.OK)
}

// Cores is the process CPU time per second of the window: how many cores
// the process kept busy (the work owed after the window, OwedCPU, left out).
func (p Phase) Cores() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return (p.CPU - p.OwedCPU).Seconds() / p.Elapsed.Seconds()
}

// Problems is the number of requests in and outside the window that make
// the run invalid.
func (p Phase) Problems() uint64 { return p.Counts.Problems() + p.Outside.Problems() }

// recorder collects one phase's outcomes from many goroutines.
type recorder struct {
	in, out      [numOutcomes]atomic.Uint64
	kinds        [numKinds]atomic.Uint64
	hist         histogram
	kindHist     [numKinds]histogram
	firstProblem atomic.Pointer[string]
	escalated    atomic.Uint64
	escMu        sync.Mutex
	escalations  []Escalation
}

// escalation records an acknowledged escalation.
func (r *recorder) escalation(e Escalation) {
	r.escalated.Add(1)
	r.escMu.Lock()
	r.escalations = append(r.escalations, e)
	r.escMu.Unlock()
}

// record adds a measured turn of kind k.
func (r *recorder) record(k Kind, latency time.Duration) {
	r.kinds[k].Add(1)
	r.hist.record(latency)
	r.kindHist[k].record(latency)
}

func (r *recorder) problem(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	r.firstProblem.CompareAndSwap(nil, &s)
}

func counts(a *[numOutcomes]atomic.Uint64) Counts {
	c := Counts{
		OK:          a[OutcomeOK].Load(),
		Fallback:    a[OutcomeFallback].Load(),
		RateLimited: a[OutcomeRateLimited].Load(),
		Non200:      a[OutcomeNon200].Load(),
		BadBody:     a[OutcomeBadBody].Load(),
		Errors:      a[OutcomeError].Load(),
	}
	c.Requests = c.OK + c.Problems()
	return c
}

func (r *recorder) phase(mode string) Phase {
	p := Phase{Mode: mode, Counts: counts(&r.in), Outside: counts(&r.out), Latency: r.hist.summary(),
		Kinds: map[Kind]uint64{}, KindLatency: map[Kind]Latency{}}
	for k := range numKinds {
		if n := r.kinds[k].Load(); n > 0 {
			p.Kinds[k] = n
			p.KindLatency[k] = r.kindHist[k].summary()
		}
	}
	if s := r.firstProblem.Load(); s != nil {
		p.FirstProblem = *s
	}
	p.Escalated = r.escalated.Load()
	r.escMu.Lock()
	p.Escalations = slices.Clone(r.escalations)
	r.escMu.Unlock()
	return p
}

// turn sends u's next turn and classifies the answer. It returns the
// outcome, the turn kind and the completion time.
func (l *Load) turn(ctx context.Context, u *user, r *recorder) (Outcome, Kind, time.Time) {
	return l.turnWithID(ctx, u, r, "")
}

// turnWithID is turn sending id, when not empty, as the X-Request-Id.
func (l *Load) turnWithID(ctx context.Context, u *user, r *recorder, id string) (Outcome, Kind, time.Time) {
	tn := l.traffic.next(u)
	bp := l.bufs.Get().(*[]byte)
	defer l.bufs.Put(bp)
	body := l.traffic.appendPayload((*bp)[:0], u, tn)
	*bp = body
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.target.URL, bytes.NewReader(body))
	if err != nil {
		r.problem("%s: new request: %v", l.target.Name, err)
		return OutcomeError, tn.kind, time.Now()
	}
	req.Header.Set("Content-Type", "application/json")
	for k, vs := range l.target.Header {
		req.Header[k] = vs
	}
	if id != "" {
		req.Header.Set("X-Request-Id", id)
	}
	resp, err := l.client.Do(req)
	if err != nil {
		r.problem("%s: %v", l.target.Name, err)
		return OutcomeError, tn.kind, time.Now()
	}
	buf := l.answerBufs.Get().(*bytes.Buffer)
	defer l.answerBufs.Put(buf)
	buf.Reset()
	_, err = buf.ReadFrom(resp.Body)
	resp.Body.Close()
	done := time.Now()
	if err != nil {
		r.problem("%s: read answer: %v", l.target.Name, err)
		return OutcomeError, tn.kind, done
	}
	if resp.StatusCode != http.StatusOK {
		r.problem("%s: HTTP %d: %.200s", l.target.Name, resp.StatusCode, buf.Bytes())
		return OutcomeNon200, tn.kind, done
	}
	o, w, err := l.answers.classifyScanned(buf.Bytes())
	switch o {
	case OutcomeOK:
		u.turns++
		if tn.kind == KindWelcome {
			u.welcomed = true
		}
		u.replies = w.replies // quick replies vanish with the next message
		if l.traffic.answered(u, tn.kind, w.replies) {
			r.escalation(Escalation{User: u.key, Code: l.answers.handoffCode(w)})
		}
	case OutcomeBadBody:
		r.problem("%s: %v: %.200s", l.target.Name, err, buf.Bytes())
	default:
		r.problem("%s: %s answer to a %s turn (%q)", l.target.Name, o, tn.kind, tn.utterance)
	}
	return o, tn.kind, done
}

// Saturate runs a closed loop: conc goroutines each send one turn after
// another (each from a user the pool deems ready), first for warmup, then,
// once the target has finished the work the warm-up's turns left behind
// (settleWarmup), for the measured window d. Turns that complete in d are
// measured. It returns ctx's error if ctx ends first.
func (l *Load) Saturate(ctx context.Context, conc int, warmup, d time.Duration) (Phase, error) {
	if conc < 1 || d <= 0 {
		return Phase{}, fmt.Errorf("bench: saturate %s: want concurrency ≥ 1 and a positive duration, got %d, %s", l.target.Name, conc, d)
	}
	l.pool.startPhase()
	var r recorder
	var settleTime, settleCPU time.Duration
	if warmup > 0 {
		l.closedLoop(ctx, conc, time.Now().Add(warmup), &r, func(o Outcome, _ Kind, _, _ time.Time) { r.out[o].Add(1) }, nil)
		if err := ctx.Err(); err != nil {
			return Phase{}, fmt.Errorf("bench: saturate %s: %w", l.target.Name, err)
		}
		var err error
		if settleTime, settleCPU, err = l.settleWarmup(ctx); err != nil {
			return Phase{}, fmt.Errorf("bench: saturate %s: after the warm-up: %w", l.target.Name, err)
		}
	}
	m := cpuMeter{l: l}
	wEnd := time.Now().Add(d)
	cpu0, _ := m.read()
	var ended sync.Once
	var cpu1 time.Duration
	l.closedLoop(ctx, conc, wEnd, &r, func(o Outcome, k Kind, sent, done time.Time) {
		if !done.Before(wEnd) {
			r.out[o].Add(1)
			return
		}
		r.in[o].Add(1)
		r.record(k, done.Sub(sent))
	}, func() {
		// The first worker to stop ends the window.
		ended.Do(func() { cpu1, _ = m.read() })
	})
	if err := ctx.Err(); err != nil {
		return Phase{}, fmt.Errorf("bench: saturate %s: %w", l.target.Name, err)
	}
	drainCPU, drainTime, err := l.drain(ctx, &m)
	if err != nil {
		return Phase{}, fmt.Errorf("bench: saturate %s: %w", l.target.Name, err)
	}
	var owed time.Duration
	if l.target.Owed != nil {
		if err := l.target.Owed(ctx); err != nil {
			return Phase{}, fmt.Errorf("bench: saturate %s: %w", l.target.Name, err)
		}
		c, _ := m.read()
		owed = c - cpu1
		cpu1 = c
	}
	p := r.phase("saturation")
	p.Concurrency = conc
	p.Elapsed = d + drainTime
	p.WarmupDrain, p.WarmupDrainCPU = settleTime, settleCPU
	if m.known() && cpu1 >= cpu0 {
		p.CPU = cpu1 - cpu0 + drainCPU
		p.OwedCPU = owed
	}
	_, p.MaxRSS, _ = l.usage()
	p.Users, _ = l.pool.stats()
	return p, nil
}

// closedLoop runs conc workers, each sending one turn after another until
// end (a turn sent before end may complete after it) or ctx ends. It
// records the answers' problems and escalations in r, calls done with
// each turn's outcome, kind, send and completion times, and stopped, when
// set, as each worker stops; it returns when every worker has stopped.
func (l *Load) closedLoop(ctx context.Context, conc int, end time.Time, r *recorder, done func(o Outcome, k Kind, sent, at time.Time), stopped func()) {
	var wg sync.WaitGroup
	for range conc {
		wg.Go(func() {
			if stopped != nil {
				defer stopped()
			}
			for ctx.Err() == nil {
				now := time.Now()
				if !now.Before(end) {
					return
				}
				u := l.pool.get(now)
				o, k, at := l.turn(ctx, u, r)
				l.pool.put(u, at)
				done(o, k, now, at)
			}
		})
	}
	wg.Wait()
}

// settleWarmup runs, between a saturation warm-up and its window, the
// target's Drain, Owed and Quiet, so that the work the warm-up's turns
// left behind (the rows Baton defers, outbox deliveries, the checkpoint of
// what they wrote) is done before the window's CPU is first read: it is
// the warm-up's, not the window's turns'. It returns how long that took
// and the CPU used meanwhile (0 when a reading failed).
func (l *Load) settleWarmup(ctx context.Context) (took, cpu time.Duration, err error) {
	t := l.target
	if t.Drain == nil && t.Owed == nil && t.Quiet == nil {
		return 0, 0, nil
	}
	c0, _, ok0 := l.usage()
	start := time.Now()
	for _, step := range []struct {
		name string
		run  func(context.Context) error
	}{{"drain", t.Drain}, {"owed work", t.Owed}, {"quiet", t.Quiet}} {
		if step.run == nil {
			continue
		}
		if err := step.run(ctx); err != nil {
			return 0, 0, fmt.Errorf("%s: %w", step.name, err)
		}
	}
	took = time.Since(start)
	if c1, _, ok1 := l.usage(); ok0 && ok1 && c1 >= c0 {
		cpu = c1 - c0
	}
	return took, cpu, nil
}

// drain runs the target's Drain and returns the process CPU (read by m)
// and the time it took.
func (l *Load) drain(ctx context.Context, m *cpuMeter) (cpu, took time.Duration, err error) {
	if l.target.Drain == nil {
		return 0, 0, nil
	}
	c0, _ := m.read()
	start := time.Now()
	if err := l.target.Drain(ctx); err != nil {
		return 0, 0, fmt.Errorf("drain: %w", err)
	}
	c1, _ := m.read()
	return c1 - c0, time.Since(start), nil
}

// FixedRate runs an open loop: turns are scheduled at rate per second for
// d, each sent at its scheduled time from a ready user whatever the state
// of earlier turns, and its latency is measured from the scheduled time
// (so a server that stalls is charged for the queueing it causes). It
// waits for every turn to finish. It returns ctx's error if ctx ends first.
func (l *Load) FixedRate(ctx context.Context, rate float64, d time.Duration) (Phase, error) {
	return l.FixedRateAfter(ctx, rate, 0, d)
}

// FixedRateAfter is FixedRate preceded by warm of the same open loop whose
// turns are not measured (their outcomes count in Phase.Outside, as a
// saturation warm-up's do). The measured window then starts with the
// target in its steady state at that rate: Baton writes a conversation's
// row up to store.Options.FlushAge (10 s) after the user's first turn, so
// a window that starts from nothing owed ends before most of those writes
// fall due, and its latency never meets them.
//
// Unlike Saturate, it does not stop between the warm-up and the window for
// the target to finish the warm-up's work: meeting that work is what the
// warm-up is for. The window's CPU therefore holds the warm-up's deferred
// work that falls due in it as well as, through the drain at its end, the
// window's own.
func (l *Load) FixedRateAfter(ctx context.Context, rate float64, warm, d time.Duration) (Phase, error) {
	if rate <= 0 || d <= 0 || warm < 0 {
		return Phase{}, fmt.Errorf("bench: fixed rate %s: want a positive rate and duration and no negative warm-up, got %g/s, %s, %s", l.target.Name, rate, d, warm)
	}
	l.pool.startPhase()
	var r recorder
	nWarm := int(math.Ceil(rate * warm.Seconds()))
	n := nWarm + int(math.Ceil(rate*d.Seconds()))
	m := cpuMeter{l: l}
	var cpu0 time.Duration
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < n && ctx.Err() == nil; i++ {
		at := start.Add(time.Duration(float64(i) * float64(time.Second) / rate))
		if wait := time.Until(at); wait > 0 {
			time.Sleep(wait) // pacing the schedule, not waiting for a condition
		}
		measured := i >= nWarm
		if i == nWarm {
			// The window starts with its first scheduled turn.
			if l.windowStart != nil {
				l.windowStart()
			}
			if stagetrace.Enabled && l.target.Name == "baton" {
				stagetrace.Start()
			}
			cpu0, _ = m.read()
		}
		u := l.pool.get(time.Now())
		var trace *stagetrace.Rec
		id := ""
		if stagetrace.Enabled && measured && l.target.Name == "baton" {
			id = "st" + strconv.Itoa(i-nWarm)
			trace = stagetrace.Begin(id, at)
		}
		wg.Go(func() {
			if stagetrace.Enabled {
				trace.Mark(stagetrace.ClientGo)
			}
			o, k, done := l.turnWithID(ctx, u, &r, id)
			if stagetrace.Enabled {
				trace.MarkAt(stagetrace.Done, done)
			}
			l.pool.put(u, done)
			if !measured {
				r.out[o].Add(1)
				return
			}
			r.in[o].Add(1)
			r.record(k, done.Sub(at))
		})
	}
	wg.Wait()
	if _, _, err := l.drain(ctx, &m); err != nil {
		return Phase{}, fmt.Errorf("bench: fixed rate %s: %w", l.target.Name, err)
	}
	var owed time.Duration
	if l.target.Owed != nil {
		before, _ := m.read()
		if err := l.target.Owed(ctx); err != nil {
			return Phase{}, fmt.Errorf("bench: fixed rate %s: %w", l.target.Name, err)
		}
		after, _ := m.read()
		owed = after - before
	}
	cpu1, maxRSS := m.read()
	if err := ctx.Err(); err != nil {
		return Phase{}, fmt.Errorf("bench: fixed rate %s: %w", l.target.Name, err)
	}
	p := r.phase("fixed")
	p.Rate = rate
	p.Elapsed = d
	if m.known() {
		p.CPU = cpu1 - cpu0
		p.OwedCPU = owed
	}
	p.MaxRSS = maxRSS
	p.Users, _ = l.pool.stats()
	return p, nil
}
