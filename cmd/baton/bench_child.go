package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
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

// benchChild is `baton serve` in a child process, started by the soak so
// that the server's memory and CPU are measured without the load client's.
type benchChild struct {
	cmd  *exec.Cmd
	dir  string
	sink *benchSink
	done chan struct{}
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
	c := &benchChild{dir: dir, done: make(chan struct{})}
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
	c.cmd, err = serveCommand([]string{"serve", "--config", configPath, "--addr", "127.0.0.1:0", "--admin-addr", "127.0.0.1:0", "--data", dir})
	if err != nil {
		restoreEnv()
		return fail(err)
	}
	if c.cmd.Env == nil {
		c.cmd.Env = os.Environ() // the sink's variables, set just now
	}
	dieWithParent(c.cmd)
	restoreEnv()
	pipe, err := c.cmd.StderrPipe()
	if err != nil {
		return fail(fmt.Errorf("baton bench: child stderr: %w", err))
	}
	if err := c.cmd.Start(); err != nil {
		return fail(fmt.Errorf("baton bench: start baton serve: %w", err))
	}
	type addrs struct{ public, admin string }
	ready := make(chan addrs, 1)
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
				fmt.Fprintf(stderr, "baton serve: %s\n", sc.Bytes())
				continue
			}
			switch {
			case line.Msg == "baton serving":
				ready <- addrs{line.Addr, line.Admin}
			case line.Level == "WARN" || line.Level == "ERROR":
				fmt.Fprintf(stderr, "baton serve: %s\n", sc.Bytes())
			}
		}
		_, _ = io.Copy(io.Discard, pipe)
	}()
	go func() { _ = c.cmd.Wait(); close(c.done) }()
	select {
	case a := <-ready:
		c.url, c.metricsURL = "http://"+a.public+"/skill", "http://"+a.admin+"/metrics"
		return c, nil
	case <-c.done:
		return fail(fmt.Errorf("baton bench: baton serve exited before serving (%v)", c.cmd.ProcessState))
	case <-ctx.Done():
		c.kill()
		return fail(fmt.Errorf("baton bench: start baton serve: %w", ctx.Err()))
	case <-time.After(childStartTimeout):
		c.kill()
		return fail(fmt.Errorf("baton bench: baton serve did not serve within %s", childStartTimeout))
	}
}

// kill ends the child at once and waits for it.
func (c *benchChild) kill() {
	_ = c.cmd.Process.Kill()
	<-c.done
}

// close stops the child (SIGTERM, then SIGKILL after 30 s), the sink and
// removes the data dir.
func (c *benchChild) close() error {
	var err error
	if sigErr := c.cmd.Process.Signal(syscall.SIGTERM); sigErr != nil && !errors.Is(sigErr, os.ErrProcessDone) {
		err = fmt.Errorf("baton bench: stop baton serve: %w", sigErr)
	}
	select {
	case <-c.done:
	case <-time.After(30 * time.Second):
		c.kill()
		err = errors.Join(err, errors.New("baton bench: baton serve did not stop within 30s; killed"))
	}
	c.sink.close()
	return errors.Join(err, os.RemoveAll(c.dir))
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
