package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/baton-chat/baton/internal/proc"
)

// serveCommand returns the command that runs `baton <args>` in a child
// process: this executable. Tests replace it (the test binary runs as baton
// through TestMain).
var serveCommand = func(args []string) (*exec.Cmd, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("baton bench: find this executable: %w", err)
	}
	return exec.Command(exe, args...), nil
}

// childProc is a child process of this executable (serveCommand) that
// logs JSON lines on stderr, one of them readyMsg with the addresses it
// serves on.
type childProc struct {
	cmd  *exec.Cmd
	done chan struct{}
}

// childAddrs are the fields of a child's ready line.
type childAddrs struct{ public, admin string }

// spawnChild starts `baton <args>` with env (nil: this process's now) and
// waits up to childStartTimeout for its readyMsg log line. The child's
// warnings, errors and lines that are not JSON are copied to stderr, each
// prefixed with name.
func spawnChild(ctx context.Context, args, env []string, name, readyMsg string, stderr io.Writer) (*childProc, childAddrs, error) {
	cmd, err := serveCommand(args)
	if err != nil {
		return nil, childAddrs{}, err
	}
	if cmd.Env == nil {
		cmd.Env = env
	} else if env != nil {
		// A serveCommand that sets variables of its own (the tests' hook)
		// keeps them, on top of env: for a key given twice the last wins.
		cmd.Env = append(slices.Clone(env), cmd.Env...)
	}
	dieWithParent(cmd)
	pipe, err := cmd.StderrPipe()
	if err != nil {
		return nil, childAddrs{}, fmt.Errorf("baton bench: %s stderr: %w", name, err)
	}
	if err := cmd.Start(); err != nil {
		return nil, childAddrs{}, fmt.Errorf("baton bench: start %s: %w", name, err)
	}
	c := &childProc{cmd: cmd, done: make(chan struct{})}
	ready := make(chan childAddrs, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
		for sc.Scan() {
			var line struct {
				Level string `json:"level"`
				Msg   string `json:"msg"`
				Addr  string `json:"addr"`
				Admin string `json:"admin"`
			}
			if json.Unmarshal(sc.Bytes(), &line) != nil {
				fmt.Fprintf(stderr, "%s: %s\n", name, sc.Bytes())
				continue
			}
			switch {
			case line.Msg == readyMsg:
				ready <- childAddrs{line.Addr, line.Admin}
			case line.Level == "WARN" || line.Level == "ERROR":
				fmt.Fprintf(stderr, "%s: %s\n", name, sc.Bytes())
			}
		}
		_, _ = io.Copy(io.Discard, pipe)
	}()
	go func() { _ = cmd.Wait(); close(c.done) }()
	select {
	case a := <-ready:
		return c, a, nil
	case <-c.done:
		return nil, childAddrs{}, fmt.Errorf("baton bench: %s exited before serving (%v)", name, cmd.ProcessState)
	case <-ctx.Done():
		c.kill()
		return nil, childAddrs{}, fmt.Errorf("baton bench: start %s: %w", name, ctx.Err())
	case <-time.After(childStartTimeout):
		c.kill()
		return nil, childAddrs{}, fmt.Errorf("baton bench: %s did not serve within %s", name, childStartTimeout)
	}
}

// kill ends the child at once and waits for it.
func (c *childProc) kill() {
	_ = c.cmd.Process.Kill()
	<-c.done
}

// stop ends the child with SIGTERM, then SIGKILL after 30 s.
func (c *childProc) stop(name string) error {
	var err error
	if sigErr := c.cmd.Process.Signal(syscall.SIGTERM); sigErr != nil && !errors.Is(sigErr, os.ErrProcessDone) {
		err = fmt.Errorf("baton bench: stop %s: %w", name, sigErr)
	}
	select {
	case <-c.done:
	case <-time.After(30 * time.Second):
		c.kill()
		err = errors.Join(err, fmt.Errorf("baton bench: %s did not stop within 30s; killed", name))
	}
	return err
}

// usage is the child's CPU time and peak RSS (bench.Target.Process).
func (c *childProc) usage() (time.Duration, int64, error) {
	return proc.Of(c.cmd.Process.Pid)
}

// benchChild is `baton serve` in a child process, started by the soak and
// by --separate so that the server's memory and CPU are measured without
// the load client's.
type benchChild struct {
	*childProc
	dir  string
	sink *benchSink
	// url is the child's /skill URL, metricsURL its admin /metrics.
	url, metricsURL string
}

// childStartTimeout bounds how long the child may take to serve.
const childStartTimeout = 60 * time.Second

// startBenchChild starts `baton serve --config configPath` on loopback
// ports with a throw-away data dir, its notify sinks pointed at a bench
// sink in this process (as startBenchBaton does for the in-process Baton),
// and waits for its "baton serving" log line. The child inherits this
// process's environment (BATON_HOURS_OVERRIDE, GOMEMLIMIT, GOGC). Its
// warnings and errors are copied to stderr.
func startBenchChild(ctx context.Context, configPath string, stderr io.Writer) (*benchChild, error) {
	dir, err := os.MkdirTemp("", "baton-bench-")
	if err != nil {
		return nil, fmt.Errorf("baton bench: data dir: %w", err)
	}
	c := &benchChild{dir: dir}
	if c.sink, err = startBenchSink(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	fail := func(err error) (*benchChild, error) {
		c.sink.close()
		_ = os.RemoveAll(dir)
		return nil, err
	}
	restoreEnv, err := benchSinkEnv(c.sink)
	if err != nil {
		return fail(err)
	}
	env := os.Environ() // the sink's variables, set just now
	restoreEnv()
	p, a, err := spawnChild(ctx, benchServeArgs(configPath, dir), env, "baton serve", "baton serving", stderr)
	if err != nil {
		return fail(err)
	}
	c.childProc = p
	c.url, c.metricsURL = "http://"+a.public+"/skill", "http://"+a.admin+"/metrics"
	return c, nil
}

// benchServeArgs is the command line of the measured `baton serve`: loopback
// ports, the throw-away data dir, and no nightly backup — a child started
// after the backup hour (19:00 UTC) would otherwise copy its whole database
// in its first minute, inside the measurement.
func benchServeArgs(configPath, dir string) []string {
	return []string{"serve", "--config", configPath, "--addr", "127.0.0.1:0", "--admin-addr", "127.0.0.1:0",
		"--data", dir, "--backup-hour", "-1"}
}

// close stops the child (SIGTERM, then SIGKILL after 30 s), the sink and
// removes the data dir.
func (c *benchChild) close() error {
	err := c.stop("baton serve")
	c.sink.close()
	return errors.Join(err, os.RemoveAll(c.dir))
}

// bareChild is the bare handler in a child process (`baton bench-bare`),
// for --separate.
type bareChild struct {
	*childProc
	url string
}

// bareReadyMsg is the log line with which `baton bench-bare` says it serves.
const bareReadyMsg = "bare serving"

// startBareChild starts `baton bench-bare` and waits until it serves.
func startBareChild(ctx context.Context, stderr io.Writer) (*bareChild, error) {
	p, a, err := spawnChild(ctx, []string{"bench-bare"}, os.Environ(), "baton bench-bare", bareReadyMsg, stderr)
	if err != nil {
		return nil, err
	}
	return &bareChild{childProc: p, url: "http://" + a.public + "/skill"}, nil
}

func (c *bareChild) close() error { return c.stop("baton bench-bare") }

// runBenchBare is `baton bench-bare`, the bare handler of `baton bench
// --separate` as a process of its own: it serves bench.BareHandler on
// 127.0.0.1 (a free port) with the Go runtime's defaults, logs one JSON
// line {"msg":"bare serving","addr":…} on stderr, and stops on SIGINT or
// SIGTERM. Not listed in the usage: only baton bench starts it.
func runBenchBare(args []string, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintf(stderr, "baton bench-bare: unexpected argument %q\n", args[0])
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintf(stderr, "baton bench-bare: listen: %v\n", err)
		return 1
	}
	srv := bareServer()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	slog.New(slog.NewJSONHandler(stderr, nil)).Info(bareReadyMsg, "addr", ln.Addr().String())
	select {
	case <-ctx.Done():
		_ = srv.Close()
		return 0
	case err := <-served:
		fmt.Fprintf(stderr, "baton bench-bare: %v\n", err)
		return 1
	}
}

// metricsURL is the /metrics URL of an admin base URL ("http://host:port"
// or one already ending in /metrics).
func metricsURL(admin string) string {
	admin = strings.TrimSuffix(admin, "/")
	if strings.HasSuffix(admin, "/metrics") {
		return admin
	}
	return admin + "/metrics"
}

// fetchHeapProfile writes the heap profile of the Baton whose admin base
// (or /metrics) URL is admin to path, after a collection (?gc=1).
func fetchHeapProfile(ctx context.Context, admin, path string) error {
	u := strings.TrimSuffix(metricsURL(admin), "/metrics") + "/debug/pprof/heap?gc=1"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("baton bench: server heap profile: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("baton bench: server heap profile: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("baton bench: server heap profile: HTTP %d from %s", resp.StatusCode, u)
	}
	fh, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("baton bench: server heap profile: %w", err)
	}
	if _, err := io.Copy(fh, resp.Body); err != nil {
		fh.Close()
		return fmt.Errorf("baton bench: server heap profile: %w", err)
	}
	if err := fh.Close(); err != nil {
		return fmt.Errorf("baton bench: server heap profile: %w", err)
	}
	return nil
}
