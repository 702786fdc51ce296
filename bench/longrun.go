package bench

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Distinct sends exactly one turn (the welcome block, every new user's
// first turn) from each of n new users, over conc connections in a closed
// loop, and returns the phase ("distinct"). It is how `baton bench
// --rss-users` puts n distinct users through /skill. It returns ctx's error
// if ctx ends first.
func (l *Load) Distinct(ctx context.Context, n, conc int) (Phase, error) {
	if n < 1 || conc < 1 {
		return Phase{}, fmt.Errorf("bench: distinct %s: want users and concurrency ≥ 1, got %d, %d", l.target.Name, n, conc)
	}
	l.pool.startPhase()
	var r recorder
	var next atomic.Int64
	cpu0, _ := usage()
	start := time.Now()
	var wg sync.WaitGroup
	for range conc {
		wg.Go(func() {
			for ctx.Err() == nil && next.Add(1) <= int64(n) {
				l.pool.mu.Lock()
				u := l.pool.newUser()
				l.pool.mu.Unlock()
				sent := time.Now()
				o, k, done := l.turn(ctx, u, &r)
				r.in[o].Add(1)
				r.record(k, done.Sub(sent))
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return Phase{}, fmt.Errorf("bench: distinct %s: %w", l.target.Name, err)
	}
	cpu1, maxRSS := usage()
	p := r.phase("distinct")
	p.Concurrency = conc
	p.Elapsed = time.Since(start)
	p.CPU = cpu1 - cpu0
	p.MaxRSS = maxRSS
	p.Users = n
	return p, nil
}

// RSSReport is the result of `baton bench --rss-users`: n distinct users
// each sent one turn to Baton in this process, then the process idled.
type RSSReport struct {
	Target   Target
	Load     Phase
	Idle     time.Duration
	Before   Memory // before the first turn
	AfterRun Memory // right after the last turn
	Final    Memory // after Idle
	// Limit is the goal the final RSS is held against (0: none).
	Limit int64
}

// MeasureRSS sends one turn from each of users new users over conc
// connections, idles for idle, and reads the process memory before, right
// after the load and after the idle time. The idle wait is a fixed pause
// the measurement asks for, not a wait for a condition.
func MeasureRSS(ctx context.Context, l *Load, users, conc int, idle time.Duration, cmem CMemory) (*RSSReport, error) {
	rep := &RSSReport{Target: l.target, Idle: idle, Before: ReadMemory(cmem)}
	p, err := l.Distinct(ctx, users, conc)
	if err != nil {
		return nil, err
	}
	rep.Load = p
	l.client.CloseIdleConnections()
	rep.AfterRun = ReadMemory(cmem)
	select {
	case <-time.After(idle):
	case <-ctx.Done():
		return nil, fmt.Errorf("bench: rss idle: %w", ctx.Err())
	}
	rep.Final = ReadMemory(cmem)
	return rep, nil
}

// Err returns nil when every turn was served (no fallback, rate limit,
// non-200 or error) and the final RSS is within Limit, else an error
// wrapping ErrInvalidRun (served badly) or saying the goal was missed.
func (r *RSSReport) Err() error {
	if n := r.Load.Problems(); n > 0 {
		return fmt.Errorf("%w: %d of %d turns were not served (first: %s)", ErrInvalidRun, n, r.Load.Counts.Requests, r.Load.FirstProblem)
	}
	if r.Limit > 0 && r.Final.RSS > r.Limit {
		return fmt.Errorf("bench: RSS %.1f MB after %s idle exceeds the %.0f MB goal", mb(r.Final.RSS), r.Idle, mb(r.Limit))
	}
	return nil
}

// Fprint writes the RSS report.
func (r *RSSReport) Fprint(w io.Writer) error {
	var b strings.Builder
	p := r.Load
	fmt.Fprintf(&b, "baton bench --rss-users %d  %s  GOMAXPROCS=%d\n", p.Users, runtime.Version(), runtime.GOMAXPROCS(0))
	fmt.Fprintf(&b, "target: %s\n", r.Target.URL)
	fmt.Fprintf(&b, "%d distinct users, one turn each (welcome block), %d connections: %s, %.0f turns/s, p50 %s, p99 %s\n",
		p.Users, p.Concurrency, p.Elapsed.Round(time.Millisecond), float64(p.Counts.OK)/p.Elapsed.Seconds(), ms(p.Latency.P50), ms(p.Latency.P99))
	fmt.Fprintf(&b, "served %d, errors %d, non-200 %d, bad body %d, fallback %d, rate-limited %d\n",
		p.Counts.OK, p.Counts.Errors, p.Counts.Non200, p.Counts.BadBody, p.Counts.Fallback, p.Counts.RateLimited)
	fmt.Fprintf(&b, "memory before the load:   %s\n", r.Before)
	fmt.Fprintf(&b, "memory after the load:    %s\n", r.AfterRun)
	fmt.Fprintf(&b, "memory after %s idle: %s\n", r.Idle, r.Final)
	fmt.Fprintf(&b, "peak RSS %.1f MB; the process holds the load client and the server (one process, as `baton bench` runs)\n", mb(p.MaxRSS))
	if r.Limit > 0 {
		verdict := "met"
		if r.Final.RSS > r.Limit {
			verdict = "MISSED"
		}
		fmt.Fprintf(&b, "goal: RSS ≤ %.0f MB after idle: %s\n", mb(r.Limit), verdict)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// SoakMinute is one window of a soak.
type SoakMinute struct {
	// Phase is the window's load. With a remote MemorySource its CPU is
	// the server process's CPU time in the window (the load client's is
	// not counted); in process it is this whole process's.
	Phase  Phase
	Memory Memory // the server's, after the window's turns finished
	// GCs is the number of collections the server's runtime completed in
	// the window.
	GCs uint64
	// Load is the machine's 1-minute load average after the window
	// ("" where unknown): other work on the machine shows in the latency.
	Load string
	// Store is what the window cost the server's store, where the server
	// exports its counters (Known false otherwise).
	Store StoreWindow
}

// SoakReport is the result of `baton bench --soak`.
type SoakReport struct {
	Target Target
	// Server says whose memory the windows hold (MemorySource.Name).
	Server  string
	Remote  bool
	Rate    float64
	Window  time.Duration
	Windows []SoakMinute
	// Tolerance is the allowed relative RSS growth from the first window
	// to the last (0.10).
	Tolerance float64
}

// Soak runs the open-loop fixed rate against l for d, in windows of
// window (the last one shorter if d is not a multiple), and reads the
// server's memory from src before the first window and after each one.
// It returns ctx's error if ctx ends, or src's.
func Soak(ctx context.Context, l *Load, rate float64, d, window time.Duration, src MemorySource, progress func(SoakMinute)) (*SoakReport, error) {
	if window <= 0 || d <= 0 {
		return nil, fmt.Errorf("bench: soak: want positive durations, got %s, %s", d, window)
	}
	if src.Read == nil {
		src = InProcess(nil)
	}
	rep := &SoakReport{Target: l.target, Server: src.Name, Remote: src.Remote, Rate: rate, Window: window, Tolerance: 0.10}
	prev, err := src.Read(ctx)
	if err != nil {
		return nil, fmt.Errorf("bench: soak: %w", err)
	}
	for left := d; left > 0; left -= window {
		p, err := l.FixedRate(ctx, rate, min(window, left))
		if err != nil {
			return nil, fmt.Errorf("bench: soak: %w", err)
		}
		cur, err := src.Read(ctx)
		if err != nil {
			return nil, fmt.Errorf("bench: soak: %w", err)
		}
		if src.Remote {
			p.CPU, p.MaxRSS = cur.CPU-prev.CPU, 0
		}
		m := SoakMinute{Phase: p, Memory: cur, GCs: cur.GCCycles - prev.GCCycles, Load: load1(),
			Store: storeWindow(prev.Store, cur.Store, p.Counts.Requests)}
		prev = cur
		rep.Windows = append(rep.Windows, m)
		if progress != nil {
			progress(m)
		}
	}
	return rep, nil
}

// Growth is the relative RSS change from the end of the first window to
// the end of the last.
func (r *SoakReport) Growth() float64 {
	if len(r.Windows) < 2 || r.Windows[0].Memory.RSS == 0 {
		return 0
	}
	first, last := r.Windows[0].Memory.RSS, r.Windows[len(r.Windows)-1].Memory.RSS
	return float64(last-first) / float64(first)
}

// Err returns nil when no turn of the soak had a problem and the RSS grew
// at most Tolerance; otherwise an error (wrapping ErrInvalidRun for
// unserved turns).
func (r *SoakReport) Err() error {
	var bad uint64
	first := ""
	for _, w := range r.Windows {
		bad += w.Phase.Problems()
		if first == "" {
			first = w.Phase.FirstProblem
		}
	}
	if bad > 0 {
		return fmt.Errorf("%w: %d turns not served in the soak (first: %s)", ErrInvalidRun, bad, first)
	}
	if len(r.Windows) < 2 {
		return fmt.Errorf("bench: soak: %d window(s); need at least 2 to compare RSS", len(r.Windows))
	}
	if g := r.Growth(); g > r.Tolerance || g < -r.Tolerance {
		return fmt.Errorf("bench: soak: RSS changed %+.1f%% from the first window to the last, want within ±%.0f%%", 100*g, 100*r.Tolerance)
	}
	return nil
}

// Fprint writes the soak report: one line per window, then both RSS
// figures and the verdict.
func (r *SoakReport) Fprint(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "baton bench --soak  %s  GOMAXPROCS=%d  open loop %g turns/s, windows of %s\n", runtime.Version(), runtime.GOMAXPROCS(0), r.Rate, r.Window)
	fmt.Fprintf(&b, "target: %s\n", r.Target.URL)
	if r.Server != "" {
		fmt.Fprintf(&b, "memory and CPU of: %s\n", r.Server)
	}
	fmt.Fprintf(&b, "%8s %8s %9s %9s %9s %9s %8s %9s %5s %8s %8s %8s %8s %8s %8s %8s %8s %6s\n", "window", "sent", "p50", "p99", "p99.9", "problems", "escal.", "CPU/turn", "GCs",
		"RSS MB", "anon", "file", "shmem", "Go", "live", "SQLite", "other", "load")
	var at time.Duration
	for _, m := range r.Windows {
		p := m.Phase
		at += p.Elapsed
		fmt.Fprintf(&b, "%8s %8d %9s %9s %9s %9d %8d %9s %5d %8.1f %s %6s\n", at.Round(time.Second), p.Counts.Requests, ms(p.Latency.P50), ms(p.Latency.P99), ms(p.Latency.P999), p.Problems(), p.Escalated,
			us(p.CPUPerTurn()), m.GCs, mb(m.Memory.RSS), m.Memory.columns(), m.Load)
	}
	who := "the whole process, load client included"
	if r.Remote {
		who = "the server process alone"
	}
	fmt.Fprintf(&b, "(CPU/turn: %s; GCs: collections the server's runtime completed in the window; MB after each window. anon/file/shmem: the RSS by kind; Go: the runtime's mapped, unreleased memory; live: the heap the last collection found reachable; SQLite: sqlite3_memory_used; other: anon − Go − SQLite, the C allocator's slack; - where not known; load: the machine's 1-minute load average)\n", who)
	if len(r.Windows) > 0 && r.Windows[0].Store.Known {
		fmt.Fprintf(&b, "the server's store, per window:\n%8s %9s %9s %9s %9s %9s %8s %10s %10s %8s %8s %8s %8s %8s %7s %8s %8s %8s\n", "window",
			"writes/b", "apply µs", "commit µs", "fsync ms", "ckpt ms", "WAL pg", "disk w KB", "disk r KB", "miss",
			"restarts", "pg/rst", "BEGIN ms", "gate ms", "stalls", "cached", "GC µs", "pause ms")
		at = 0
		for _, m := range r.Windows {
			at += m.Phase.Elapsed
			fmt.Fprintf(&b, "%8s %s\n", at.Round(time.Second), m.Store.columns())
		}
		fmt.Fprintf(&b, "(writes/b: writes per group commit; apply µs: the writer's time per write's statements; commit µs: per COMMIT (the batch's pages into the WAL); fsync ms: a WAL fsync's mean; ckpt ms: a checkpointer run's mean (once a second: the WAL's pages into the database file); WAL pg: the WAL's pages at the window's last checkpoint; disk w/r KB: bytes the server sent to / fetched from the storage layer per turn; miss: conversation loads the cache missed; restarts: checkpoints that started the WAL over; pg/rst: the pages each restart copied itself, while the writer waited; BEGIN ms: the writer's time in BEGIN (BEGIN IMMEDIATE's own tens of µs a batch, and gate ms: the part spent waiting on the WAL gate while a RESTART ran), stalls: its BEGINs of 5 ms or more; cached: conversations in the cache at the window's end; GC µs: the collector's CPU per turn (the runtime's estimate: mark assists, workers, pauses); pause ms: the window's stop-the-world pauses in total)\n")
	}
	if n := len(r.Windows); n > 0 {
		fmt.Fprintf(&b, "RSS after the first window: %.1f MB; after the last (%s): %.1f MB; change %+.1f%% (goal within ±%.0f%%)\n",
			mb(r.Windows[0].Memory.RSS), at.Round(time.Second), mb(r.Windows[n-1].Memory.RSS), 100*r.Growth(), 100*r.Tolerance)
		fmt.Fprintf(&b, "final memory: %s\n", r.Windows[n-1].Memory)
	}
	if err := r.Err(); err != nil {
		fmt.Fprintf(&b, "SOAK FAILED: %v\n", err)
	} else {
		fmt.Fprintf(&b, "soak passed: zero errors, fallbacks or rate-limited answers; RSS stable\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
