package bench

import (
	"context"
	"errors"
	"fmt"
	"github.com/baton-chat/baton/internal/stagetrace"
	"os"
	"runtime"
	"strings"
	"time"
)

// ErrInvalidRun is wrapped by Report.Err: some request got a fallback, a
// rate-limit answer, a non-200 status, an unparseable answer or a
// transport error, so the figures do not measure honest serving.
var ErrInvalidRun = errors.New("bench: invalid run")

// Config sets up a Run. Zero values take the defaults noted.
type Config struct {
	// Concurrency is the saturation phase's connection count (default 64).
	Concurrency int
	// Duration is each measured phase's length (default 10 s).
	Duration time.Duration
	// Warmup precedes each saturation window (default 2 s; negative: none).
	Warmup time.Duration
	// FixedWarmup precedes each fixed-rate window with the same open loop,
	// unmeasured (default 10 s, Baton's FlushAge: see Load.FixedRateAfter;
	// negative: none).
	FixedWarmup time.Duration
	// Rate is the fixed-rate phase's turns/s (default 1000).
	Rate float64
	// Users is the number of users each target's pool starts with
	// (default 0: the pool grows with the load, each user resting
	// Traffic.UserGap between turns).
	Users int
	// Settle is the pause between phases, after a GC (default 500 ms).
	Settle time.Duration
	// Traffic is what the users send (default DefaultTraffic()).
	Traffic *Traffic
	// Answers recognises fallback and rate-limit answers (default DefaultAnswers()).
	Answers *Answers
	// Seed makes the users reproducible (default: the clock).
	Seed uint64
	// Progress, when set, is told which phase starts.
	Progress func(target, mode string)
	// FixedWindow, when set, is told when a target's fixed-rate window
	// starts: its warm-up (FixedWarmup) over, before the window's first
	// turn is sent. It must return quickly: that turn is late by as long
	// as it takes.
	FixedWindow func(target string)
	// References are reference handlers measured after the bare handler
	// and before Baton, saturation phase only (default none; see Reference).
	References []Reference
}

func (c Config) withDefaults() Config {
	if c.Concurrency <= 0 {
		c.Concurrency = 64
	}
	if c.Duration <= 0 {
		c.Duration = 10 * time.Second
	}
	switch {
	case c.Warmup == 0:
		c.Warmup = 2 * time.Second
	case c.Warmup < 0:
		c.Warmup = 0
	}
	switch {
	case c.FixedWarmup == 0:
		c.FixedWarmup = 10 * time.Second
	case c.FixedWarmup < 0:
		c.FixedWarmup = 0
	}
	if c.Rate <= 0 {
		c.Rate = 1000
	}
	if c.Settle <= 0 {
		c.Settle = 500 * time.Millisecond
	}
	if c.Traffic == nil {
		t := DefaultTraffic()
		c.Traffic = &t
	}
	if c.Answers == nil {
		a := DefaultAnswers()
		c.Answers = &a
	}
	if c.Seed == 0 {
		c.Seed = uint64(time.Now().UnixNano())
	}
	if c.Progress == nil {
		c.Progress = func(string, string) {}
	}
	if c.FixedWindow == nil {
		c.FixedWindow = func(string) {}
	}
	return c
}

// Result is everything measured against one target.
type Result struct {
	Target     Target
	Saturation Phase
	Fixed      Phase
	// UsersCreated counts every simulated user of the target over the run.
	UsersCreated uint64
}

// Report is one `baton bench` run: Baton and the bare handler, measured
// by the same client on the same machine (in its process, or each in its
// own: Target.Process).
type Report struct {
	Baton, Bare Result
	Config      Config
	GOMAXPROCS  int
	NumCPU      int
	GoVersion   string
	Started     time.Time
	// LoadBefore and LoadAfter are the machine's 1/5/15-minute load
	// averages around the run (Linux; "" elsewhere).
	LoadBefore, LoadAfter string
	// References are the results of Config.References, in order
	// (saturation phase only).
	References []Result
}

// Run measures baton and bare in this order: bare saturation, bare fixed
// rate, Baton saturation, Baton fixed rate, with a GC and cfg.Settle
// between phases. The bare handler goes first so that nothing Baton leaves
// running after its load (WAL checkpoints, outbox relay, a bigger heap)
// can slow the bare measurement and flatter the ratio. The saturation
// phases of cfg.References, if any, run between bare and Baton, each
// reference started just before its phase and stopped right after it.
// Each target gets its own client (same settings) and its own users. Run
// returns an error only when it could not measure (a bad config, ctx
// ended); an invalid measurement (fallbacks, errors, ...) is in the
// Report: see Report.Err.
func Run(ctx context.Context, cfg Config, baton, bare Target) (*Report, error) {
	cfg = cfg.withDefaults()
	rep := &Report{Config: cfg, GOMAXPROCS: runtime.GOMAXPROCS(0), NumCPU: runtime.NumCPU(), GoVersion: runtime.Version(), Started: time.Now(), LoadBefore: loadAverage()}
	defer func() { rep.LoadAfter = loadAverage() }()
	idle := max(cfg.Concurrency, 1024)
	for i, step := range []struct {
		target Target
		res    *Result
	}{{bare, &rep.Bare}, {baton, &rep.Baton}} {
		if i == 1 {
			if err := rep.measureReferences(ctx, cfg, idle); err != nil {
				return nil, err
			}
		}
		l := NewLoad(step.target, *cfg.Traffic, *cfg.Answers, NewClient(idle), cfg.Users, cfg.Seed+uint64(i)*0x9e3779b97f4a7c15)
		step.res.Target = step.target
		settle(cfg.Settle)
		cfg.Progress(step.target.Name, "saturation")
		p, err := l.Saturate(ctx, cfg.Concurrency, cfg.Warmup, cfg.Duration)
		if err != nil {
			return nil, err
		}
		step.res.Saturation = p
		settle(cfg.Settle)
		cfg.Progress(step.target.Name, "fixed")
		l.windowStart = func() { cfg.FixedWindow(step.target.Name) }
		if p, err = l.FixedRateAfter(ctx, cfg.Rate, cfg.FixedWarmup, cfg.Duration); err != nil {
			return nil, err
		}
		step.res.Fixed = p
		if stagetrace.Enabled && step.target.Name == "baton" {
			// A binary built with -tags stagetrace only (package stagetrace).
			stagetrace.Report(os.Stderr, stagetrace.Take())
		}
		_, step.res.UsersCreated = l.pool.stats()
		l.client.CloseIdleConnections()
	}
	return rep, nil
}

// loadAverage returns the first three fields of /proc/loadavg, or "".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

func settle(d time.Duration) {
	runtime.GC()
	time.Sleep(d) // a quiet gap between phases, not a wait for a condition
}

// Ratio is Baton's saturation turns/s over the bare handler's (0 when the
// bare handler served nothing).
func (r *Report) Ratio() float64 {
	b := r.Bare.Saturation.TurnsPerSec()
	if b == 0 {
		return 0
	}
	return r.Baton.Saturation.TurnsPerSec() / b
}

// CPURatio is the bare handler's saturation CPU per turn over Baton's
// (process CPU, so both include the same client). On a machine that other
// work shares it is steadier than Ratio: stolen CPU lowers turns/s but
// hardly changes CPU per turn, and when the process is CPU-bound the two
// ratios agree. 0 when either is unknown.
func (r *Report) CPURatio() float64 {
	b, t := r.Bare.Saturation.CPUPerTurn(), r.Baton.Saturation.CPUPerTurn()
	if b <= 0 || t <= 0 {
		return 0
	}
	return float64(b) / float64(t)
}

// Err returns nil for a valid run, or an error wrapping ErrInvalidRun that
// says which target and phase had fallbacks, rate-limited answers,
// non-200 statuses, unparseable answers or transport errors, with the
// first problem seen.
func (r *Report) Err() error {
	var msgs []string
	for _, res := range append([]*Result{&r.Baton, &r.Bare}, r.referenceResults()...) {
		for _, p := range []*Phase{&res.Saturation, &res.Fixed} {
			if p.Problems() == 0 {
				continue
			}
			c := p.Counts
			c.add(p.Outside)
			msgs = append(msgs, fmt.Sprintf("%s %s: %d fallback, %d rate-limited, %d non-200, %d bad body, %d errors (first: %s)",
				res.Target.Name, p.Mode, c.Fallback, c.RateLimited, c.Non200, c.BadBody, c.Errors, p.FirstProblem))
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	err := ErrInvalidRun
	for _, m := range msgs {
		err = fmt.Errorf("%w\n  %s", err, m)
	}
	return err
}
