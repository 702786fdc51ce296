//go:build audit

package main

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestAuditSecondServeOnOneDataDirIsRefused shows that a second `baton
// serve` on the --data of a running one starts and serves. docs/ops.md says
// "Do not start two baton serve on one --data: there is one writer by
// design", but nothing enforces it (no lock file; serve.go Run opens the
// store, replays the running server's conversation journal
// (store.replayAtOpen), starts a second embedded NATS node on the same
// <data>/nats file store and a second relay, router and timer consumer over
// the same outbox), so an operator's stray `baton serve` (or a supervisor
// starting a new process before the old one exited) doubles deliveries and
// shares one JetStream store between two servers. Want: the second process
// exits non-zero at start, naming the data directory in use.
func TestAuditSecondServeOnOneDataDirIsRefused(t *testing.T) {
	dataDir := t.TempDir()
	first := startChild(t, dataDir)

	args, _ := json.Marshal([]string{"serve", "--config", exampleConfig, "--addr", "127.0.0.1:0", "--admin-addr", "127.0.0.1:0", "--data", dataDir})
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "BATON_TEST_AS_BATON=1", "BATON_TEST_ARGS="+string(args))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	served := make(chan string, 1)
	var mu sync.Mutex
	var lines []string
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<16), 1<<20)
		for sc.Scan() {
			mu.Lock()
			lines = append(lines, sc.Text())
			mu.Unlock()
			var line struct {
				Msg  string `json:"msg"`
				Addr string `json:"addr"`
			}
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "baton serving" {
				served <- line.Addr
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	exited := make(chan error, 1)
	go func() { <-scanned; exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
	})

	select {
	case addr := <-served:
		t.Errorf("a second baton serve on the --data of the one at %s is serving at %s; want it refused at start", first.addr, addr)
	case err := <-exited:
		if err == nil {
			t.Errorf("the second baton serve exited 0; want a non-zero exit naming the data directory in use")
		}
		mu.Lock()
		out := strings.Join(lines, "\n")
		mu.Unlock()
		if !strings.Contains(out, dataDir) {
			t.Errorf("the second baton serve's error does not name the data directory %s:\n%s", dataDir, out)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the second baton serve neither served nor exited within 60s")
	}
}
