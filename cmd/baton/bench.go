package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"syscall"
	"time"

	"github.com/baton-chat/baton/bench"
	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/store"
)

// benchFlags are the flags of `baton bench`.
type benchFlags struct {
	config, url   string
	duration      time.Duration
	warmup        time.Duration
	fixedWarmup   time.Duration
	settle        time.Duration
	concurrency   int
	rate          float64
	users         int
	fallbackText  string
	rateLimitText string
	cpuProfile    string
	rssUsers      int
	rssIdle       time.Duration
	rssLimitMB    int
	memProfile    string
	soak          time.Duration
	soakWindow    time.Duration
	adminURL      string
	inProcess     bool
	separate      bool
	hours         string
	references    []bench.Reference
}

func parseBenchFlags(args []string, stderr io.Writer) (benchFlags, error) {
	var f benchFlags
	fs := flag.NewFlagSet("baton bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.config, "config", "configs/example.yaml", "config for the in-process Baton (with --url: only its token and texts are used)")
	fs.DurationVar(&f.duration, "duration", 10*time.Second, "length of each measured phase")
	fs.DurationVar(&f.warmup, "warmup", 2*time.Second, "warm-up before each saturation window")
	fs.DurationVar(&f.fixedWarmup, "fixed-warmup", 10*time.Second, "unmeasured open loop at --rate before each fixed-rate window (Baton writes a conversation's row up to 10 s after the user's first turn: a shorter warm-up measures a window those writes have not reached)")
	fs.DurationVar(&f.settle, "settle", 500*time.Millisecond, "quiet pause between phases, after a GC")
	fs.IntVar(&f.concurrency, "concurrency", 64, "connections of the saturation (closed loop) phase")
	fs.Float64Var(&f.rate, "rate", 1000, "turns/s of the fixed-rate (open loop) phase")
	fs.IntVar(&f.users, "users", 0, "users each target starts with (0: as many as the load needs, each resting 2s between turns)")
	fs.StringVar(&f.url, "url", "", "benchmark this /skill URL instead of an in-process Baton")
	fs.StringVar(&f.fallbackText, "fallback-text", "", "the fallback answer's text (default: the config's)")
	fs.StringVar(&f.rateLimitText, "rate-limited-text", "", "the rate-limit answer's text (default: the config's)")
	fs.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile of the Baton saturation phase (the whole process) to this file")
	fs.IntVar(&f.rssUsers, "rss-users", 0, "memory mode: send one turn from each of this many distinct users to Baton, idle --rss-idle, report RSS (no comparison phases)")
	fs.DurationVar(&f.rssIdle, "rss-idle", 60*time.Second, "memory mode: idle time before the RSS is read")
	fs.IntVar(&f.rssLimitMB, "rss-limit-mb", 150, "memory mode: the RSS goal in MB (exit 1 when missed; 0: none)")
	fs.StringVar(&f.memProfile, "memprofile", "", "memory mode: write a heap profile at the end (after the idle time) to this file; soak mode: one after every window to FILE.1, FILE.2, … (the server's, from its admin /debug/pprof/heap, unless --in-process); comparison mode: FILE.base as the Baton saturation phase starts and FILE as it ends, so that go tool pprof -sample_index=alloc_space -base FILE.base baton FILE shows what that phase allocated (the whole process; -base, not -diff_base, subtracts a cumulative profile of the same process)")
	fs.DurationVar(&f.soak, "soak", 0, "soak mode: run --rate turns/s against Baton for this long, reading RSS every --soak-window (no comparison phases); with --users N, a fixed population of N users whose sessions never end")
	fs.DurationVar(&f.soakWindow, "soak-window", time.Minute, "soak mode: window between RSS readings")
	referenceFlag(fs, &f.references)
	fs.StringVar(&f.adminURL, "admin-url", "", "soak mode with --url: the server's admin base URL (http://host:port); its /metrics gives the server's RSS, heap and CPU")
	fs.BoolVar(&f.separate, "separate", false, "comparison mode: run Baton (`baton serve`, as deployed) and the bare handler each in a child process of its own, the load client alone in this one; CPU per turn is then the client's plus the server's, RSS the server's (default: both servers in this process)")
	fs.BoolVar(&f.inProcess, "in-process", false, "soak mode: run Baton in this process, as the other modes do (RSS and CPU then include the load client's); default: start `baton serve` in a child process and measure it alone")
	fs.StringVar(&f.hours, "hours", "open", "the Baton the bench starts (in process, or the soak's child): BATON_HOURS_OVERRIDE when unset (open: escalations reach the waiting state; \"\": the config's hours)")
	if err := fs.Parse(args); err != nil {
		return f, err
	}
	if fs.NArg() > 0 {
		return f, fmt.Errorf("baton bench: unexpected argument %q", fs.Arg(0))
	}
	if f.duration <= 0 || f.settle <= 0 || f.concurrency < 1 || f.rate <= 0 || f.users < 0 {
		return f, fmt.Errorf("baton bench: --duration, --settle, --concurrency and --rate must be positive, --users not negative")
	}
	if f.rssUsers < 0 || f.rssIdle < 0 || f.soak < 0 || f.soakWindow <= 0 || (f.rssUsers > 0 && f.soak > 0) {
		return f, fmt.Errorf("baton bench: --rss-users, --rss-idle and --soak must not be negative, --soak-window positive, and --rss-users and --soak are separate runs")
	}
	if len(f.references) > 0 && (f.rssUsers > 0 || f.soak > 0) {
		return f, fmt.Errorf("baton bench: --reference measures saturation next to the bare handler; it does not apply to --rss-users or --soak")
	}
	if f.separate && (f.url != "" || f.rssUsers > 0 || f.soak > 0 || len(f.references) > 0 || f.cpuProfile != "" || f.memProfile != "") {
		return f, fmt.Errorf("baton bench: --separate starts both servers as child processes for the comparison; it does not combine with --url, --rss-users, --soak (which runs its server as a child already), --reference, --cpuprofile or --memprofile (profile a child through its admin /debug/pprof)")
	}
	if f.soak > 0 && f.url != "" && (f.adminURL == "" || f.inProcess) {
		return f, fmt.Errorf("baton bench: a soak against --url needs the server's --admin-url (its /metrics is where the server's memory is read) and no --in-process")
	}
	return f, nil
}

// runBench runs `baton bench`: the load benchmark against Baton (in
// process, a child `baton serve` with --separate, or --url) and the bare
// Echo handler, in one run. It prints the
// report to stdout and exits 1 when the run is invalid (any fallback,
// rate-limited answer, non-200 or error) or could not be made.
func runBench(args []string, stdout, stderr io.Writer) int {
	f, err := parseBenchFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, err)
		return 2
	}
	if f.rssUsers > 0 || (f.soak > 0 && f.inProcess) {
		// The memory mode and the in-process soak measure Baton as baton
		// serve runs it (the load client in the same process shares the
		// limit). The comparison keeps the runtime's defaults: the limit
		// would make the collector run for the bare handler's phase as
		// well. A soak's child `baton serve` sets its own limit; this
		// process is then only the load client and keeps the defaults.
		applyMemoryLimit()
	}
	// Every mode runs with the Ps baton serve uses (procs.go): the bare
	// handler's phase gets them too.
	applyProcs()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := benchRun(ctx, f, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}

func benchRun(ctx context.Context, f benchFlags, stdout, stderr io.Writer) error {
	var cfg *configs.Config
	baton := bench.Target{Name: "baton", URL: f.url}
	if f.url == "" && f.hours != "" && os.Getenv("BATON_HOURS_OVERRIDE") == "" {
		// Escalations should reach the waiting state whatever the hour.
		if err := os.Setenv("BATON_HOURS_OVERRIDE", f.hours); err != nil {
			return fmt.Errorf("baton bench: hours override: %w", err)
		}
		defer os.Unsetenv("BATON_HOURS_OVERRIDE")
		fmt.Fprintf(stderr, "baton bench: BATON_HOURS_OVERRIDE=%s for the Baton under test\n", f.hours)
	}
	var sink *benchSink
	var phases *storePhases
	if soakChild := f.soak > 0 && f.url == "" && !f.inProcess; soakChild || f.separate {
		c, err := startBenchChild(ctx, f.config, stderr)
		if err != nil {
			return err
		}
		defer func() {
			if err := c.close(); err != nil {
				fmt.Fprintln(stderr, err)
			}
		}()
		fmt.Fprintf(stderr, "baton bench: Baton is `baton serve` in a child process (pid %d)\n", c.cmd.Process.Pid)
		f.url, baton.URL = c.url, c.url
		if soakChild {
			f.adminURL = c.metricsURL
		} else {
			baton.Process, sink = c.usage, c.sink
			// The conversations' rows the store writes seconds after
			// their turns (docs/design.md §7) are counted in each
			// phase's CPU.
			baton.Owed = bench.StoreOwed(nil, c.metricsURL, 100*time.Millisecond, 2*time.Minute)
			// The saturation warm-up's work is done before its window
			// starts: the rows the store defers (written 10–30 s after
			// their turns when the server is idle), deliveries, the
			// checkpoint.
			baton.Quiet = bench.StoreQuiet(bench.ScrapeStoreActivity(nil, c.metricsURL), 100*time.Millisecond, 2*time.Minute)
		}
	}
	if f.url == "" {
		m, err := startBenchBaton(ctx, f.config, stderr)
		if err != nil {
			return err
		}
		defer m.close()
		cfg, sink = m.Config, m.sink
		phases = newStorePhases(m.DB)
		baton.URL = "http://" + m.PublicAddr() + "/skill"
		// The rows the store defers (its journal) are written within the
		// phase they belong to.
		baton.Drain = m.DB.Flush
		// Between the saturation warm-up and its window, after that Drain:
		// the warm-up's deliveries and the checkpoint of what it wrote.
		baton.Quiet = bench.StoreQuiet(storeActivity(m.DB), 50*time.Millisecond, 30*time.Second)
	} else {
		var err error
		if cfg, err = configs.Load(f.config); err != nil {
			fmt.Fprintf(stderr, "baton bench: %v; using the default token-less setup and texts\n", err)
			cfg = nil
		}
	}
	answers := bench.DefaultAnswers()
	if cfg != nil {
		answers.FallbackText, answers.RateLimitedText = cfg.Texts.Fallback, cfg.Texts.RateLimited
		// The code each escalation's answer shows: the sink's check
		// matches handoffs by it.
		answers.HandoffCard = cfg.Texts.HandoffCard
		if tok := firstToken(cfg.Kakao.Tokens); tok != "" {
			baton.Header = http.Header{http.CanonicalHeaderKey(cfg.Kakao.TokenHeader): {tok}}
		}
	}
	if f.fallbackText != "" {
		answers.FallbackText = f.fallbackText
	}
	if f.rateLimitText != "" {
		answers.RateLimitedText = f.rateLimitText
	}

	switch {
	case f.rssUsers > 0:
		return benchRSS(ctx, f, baton, answers, stdout, stderr)
	case f.soak > 0:
		return benchSoak(ctx, f, baton, answers, stdout, stderr)
	}

	prof := &phaseProfile{path: f.cpuProfile, heapPath: f.memProfile}
	bare := bench.Target{Name: "bare"}
	if f.separate {
		c, err := startBareChild(ctx, stderr)
		if err != nil {
			return err
		}
		defer func() {
			if err := c.close(); err != nil {
				fmt.Fprintln(stderr, err)
			}
		}()
		bare.URL, bare.Process = c.url, c.usage
	} else {
		url, stopBare, err := startBare()
		if err != nil {
			return err
		}
		defer stopBare()
		bare.URL = url
	}

	rep, err := bench.Run(ctx, bench.Config{
		Concurrency: f.concurrency,
		Duration:    f.duration,
		Warmup:      warmupFlag(f.warmup),
		FixedWarmup: warmupFlag(f.fixedWarmup),
		Settle:      f.settle,
		Rate:        f.rate,
		Users:       f.users,
		Answers:     &answers,
		References:  f.references,
		Progress: func(target, mode string) {
			prof.phase(target == baton.Name && mode == "saturation")
			if target == baton.Name && mode == "saturation" {
				phases.phase(mode)
			} else {
				phases.phase("") // the fixed rate's line starts with its window (FixedWindow)
			}
			fmt.Fprintf(stderr, "baton bench: %s %s…\n", target, mode)
		},
		FixedWindow: func(target string) {
			if target == baton.Name {
				phases.phase("fixed")
			}
		},
	}, baton, bare)
	prof.phase(false)
	phases.phase("")
	if err != nil {
		return err
	}
	if prof.err != nil {
		return prof.err
	}
	if err := rep.Fprint(stdout); err != nil {
		return fmt.Errorf("baton bench: print report: %w", err)
	}
	phases.print(stdout)
	if sink != nil {
		// Every escalation acknowledged must reach the agents' sink.
		if err := sink.report(ctx, stdout, slices.Concat(rep.Baton.Saturation.Escalations, rep.Baton.Fixed.Escalations), rep.Err() == nil); err != nil {
			return errors.Join(err, rep.Err())
		}
	}
	return rep.Err()
}

// warmupFlag maps --warmup 0 (none) to bench.Config's "negative: none".
func warmupFlag(d time.Duration) time.Duration {
	if d <= 0 {
		return -1
	}
	return d
}

func firstToken(tokens []string) string {
	for _, t := range tokens {
		if t != "" {
			return t
		}
	}
	return ""
}

// benchBaton is an in-process Baton on loopback with a throw-away data dir.
type benchBaton struct {
	*Main
	dir string
	// sink is the loopback notify sink escalations are announced to; nil
	// when the config's notify sinks do not read BATON_NOTIFY_URL.
	sink *benchSink
}

// startBenchBaton starts the in-process Baton of configPath with its notify
// sinks pointed at a loopback bench sink (the example config's webhook
// sink reads BATON_NOTIFY_URL and BATON_NOTIFY_SECRET), so escalations are
// announced the way a deployment announces them.
func startBenchBaton(ctx context.Context, configPath string, stderr io.Writer) (*benchBaton, error) {
	dir, err := os.MkdirTemp("", "baton-bench-")
	if err != nil {
		return nil, fmt.Errorf("baton bench: data dir: %w", err)
	}
	sink, err := startBenchSink()
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	restoreEnv, err := benchSinkEnv(sink)
	if err != nil {
		sink.close()
		_ = os.RemoveAll(dir)
		return nil, err
	}
	defer restoreEnv()
	m := newBenchMain(configPath, dir, stderr)
	b := &benchBaton{Main: m, dir: dir, sink: sink}
	if err := m.Run(ctx); err != nil {
		b.close()
		return nil, fmt.Errorf("baton bench: start baton: %w", err)
	}
	if !slices.ContainsFunc(m.Config.Notify, func(n configs.Notify) bool { return n.URL == sink.url }) {
		fmt.Fprintf(stderr, "baton bench: %s has no notify sink reading BATON_NOTIFY_URL; handoffs are not announced\n", configPath)
		sink.close()
		b.sink = nil
	}
	return b, nil
}

// newBenchMain is the in-process Baton's Main: configPath, loopback ports,
// the throw-away data dir, warnings only, and no nightly backup, as the
// bench child has (benchServeArgs). A run started after the backup hour
// would otherwise copy its whole database at the first housekeeping tick,
// a minute after the start: inside Baton's fixed-rate phase.
func newBenchMain(configPath, dir string, stderr io.Writer) *Main {
	m := NewMain()
	m.ConfigPath = configPath
	m.Addr, m.AdminAddr = "127.0.0.1:0", "127.0.0.1:0"
	m.DataDir = dir
	m.BackupHour = -1
	m.Stderr = stderr
	m.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	return m
}

func (b *benchBaton) close() {
	if err := b.Close(); err != nil {
		b.Logger.Warn("baton bench: close baton", "err", err)
	}
	if b.sink != nil {
		b.sink.close()
	}
	_ = os.RemoveAll(b.dir)
}

// startBare serves bench.BareHandler on 127.0.0.1 (bareServer).
func startBare() (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("baton bench: listen bare: %w", err)
	}
	srv := bareServer()
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String() + "/skill", func() { _ = srv.Close() }, nil
}

// bareServer is the bare handler's server, with the same timeouts as
// Baton's public address.
func bareServer() *http.Server {
	return &http.Server{Handler: bench.BareHandler(), ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
}

// phaseProfile writes a CPU profile of one phase when path is set, and
// heap profiles at its start (heapPath.base) and end (heapPath) when
// heapPath is set.
type phaseProfile struct {
	path     string
	file     *os.File
	heapPath string
	inHeap   bool
	err      error
}

// phase starts the profiles when on, and stops running ones when not.
func (p *phaseProfile) phase(on bool) {
	p.heapPhase(on)
	switch {
	case p.path == "" || p.err != nil:
	case on && p.file == nil:
		if p.file, p.err = os.Create(p.path); p.err != nil {
			p.err = fmt.Errorf("baton bench: cpu profile: %w", p.err)
			return
		}
		if err := pprof.StartCPUProfile(p.file); err != nil {
			p.err = fmt.Errorf("baton bench: cpu profile: %w", err)
		}
	case !on && p.file != nil:
		pprof.StopCPUProfile()
		if err := p.file.Close(); err != nil {
			p.err = fmt.Errorf("baton bench: cpu profile: %w", err)
		}
		p.file, p.path = nil, ""
	}
}

// heapPhase writes the heap profile that opens or closes the phase
// (writeHeapProfile collects first: a heap profile's allocation counts
// stand as of the last completed collection).
func (p *phaseProfile) heapPhase(on bool) {
	if p.heapPath == "" || p.err != nil || on == p.inHeap {
		return
	}
	path := p.heapPath
	if on {
		path += ".base"
	} else {
		p.heapPath = "" // one phase
	}
	p.inHeap = on
	p.err = writeHeapProfile(path)
}

// benchRSS is the memory mode: --rss-users distinct users, one turn each,
// then --rss-idle of idle time, then the process RSS.
func benchRSS(ctx context.Context, f benchFlags, baton bench.Target, answers bench.Answers, stdout, stderr io.Writer) error {
	l := bench.NewLoad(baton, bench.DefaultTraffic(), answers, bench.NewClient(f.concurrency), 0, uint64(time.Now().UnixNano()))
	fmt.Fprintf(stderr, "baton bench: %d distinct users, then %s idle…\n", f.rssUsers, f.rssIdle)
	rep, err := bench.MeasureRSS(ctx, l, f.rssUsers, f.concurrency, f.rssIdle, sqliteMemory)
	if err != nil {
		return err
	}
	rep.Limit = int64(f.rssLimitMB) << 20
	if f.memProfile != "" {
		if err := writeHeapProfile(f.memProfile); err != nil {
			return err
		}
	}
	if err := rep.Fprint(stdout); err != nil {
		return fmt.Errorf("baton bench: print report: %w", err)
	}
	return rep.Err()
}

// benchSoak is the soak mode: --rate turns/s for --soak, RSS read every
// --soak-window.
func benchSoak(ctx context.Context, f benchFlags, baton bench.Target, answers bench.Answers, stdout, stderr io.Writer) error {
	traffic := bench.DefaultTraffic()
	if f.users > 0 {
		// A fixed population: the users' sessions never end, so no new
		// users join unless all f.users are resting at once.
		traffic.SessionMin, traffic.SessionMax = math.MaxInt32, math.MaxInt32
		fmt.Fprintf(stderr, "baton bench: soak over a fixed population of %d users\n", f.users)
	}
	l := bench.NewLoad(baton, traffic, answers, bench.NewClient(1024), f.users, uint64(time.Now().UnixNano()))
	var at time.Duration
	var n int
	var profErr error
	src := bench.InProcess(sqliteMemory)
	if f.url != "" {
		src = bench.ScrapeMemory(nil, metricsURL(f.adminURL))
	}
	rep, err := bench.Soak(ctx, l, f.rate, f.soak, f.soakWindow, src, func(m bench.SoakMinute) {
		at += m.Phase.Elapsed
		if n++; f.memProfile != "" && profErr == nil {
			// One profile per window, so that two can be compared
			// (go tool pprof -diff_base): the server's own when it is
			// another process.
			path := f.memProfile + "." + strconv.Itoa(n)
			if src.Remote {
				profErr = fetchHeapProfile(ctx, f.adminURL, path)
			} else {
				profErr = writeHeapProfile(path)
			}
		}
		fmt.Fprintf(stderr, "baton bench: soak %s: %d sent, %d problems, p99 %s, %d GCs, server %s\n",
			at.Round(time.Second), m.Phase.Counts.Requests, m.Phase.Problems(), m.Phase.Latency.P99, m.GCs, m.Memory)
		if !src.Remote {
			fmt.Fprintf(stderr, "baton bench: SQLite's high-water mark %.1f MB\n", float64(store.ReadSQLiteMemory().Highwater)/(1<<20))
		} else {
			fmt.Fprintf(stderr, "baton bench: load client (this process): %s\n", bench.ReadMemory(nil))
		}
	})
	if err != nil {
		return err
	}
	if profErr != nil {
		return profErr
	}
	if err := rep.Fprint(stdout); err != nil {
		return fmt.Errorf("baton bench: print report: %w", err)
	}
	return rep.Err()
}

// sqliteMemory is the bench.CMemory of the in-process Baton: SQLite's
// allocations (with --url, those of this process only, which has none).
func sqliteMemory() int64 { return store.ReadSQLiteMemory().Used }

// writeHeapProfile writes the live heap (after a GC) to path.
func writeHeapProfile(path string) error {
	fh, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("baton bench: heap profile: %w", err)
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(fh); err != nil {
		fh.Close()
		return fmt.Errorf("baton bench: heap profile: %w", err)
	}
	if err := fh.Close(); err != nil {
		return fmt.Errorf("baton bench: heap profile: %w", err)
	}
	return nil
}
