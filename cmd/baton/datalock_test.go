package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSecondServeOnOneDataDirIsRefused starts a `baton serve` child on a
// data directory and then a second one on the same --data: the second must
// exit non-zero at start (baton.lock is held), naming the data directory,
// and never serve.
func TestSecondServeOnOneDataDirIsRefused(t *testing.T) {
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
	var waitErr error
	exited := make(chan struct{})
	go func() { <-scanned; waitErr = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
	})

	select {
	case addr := <-served:
		t.Errorf("a second baton serve on the --data of the one at %s is serving at %s; want it refused at start", first.addr, addr)
	case <-exited:
		if waitErr == nil {
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

// TestLockDataDir takes the data directory's lock twice in one process (two
// open files, as two processes would): the second is refused with
// errDataDirInUse naming the directory, and after the first is closed the
// lock can be taken again. The lock file is created 0600.
func TestLockDataDir(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("no flock: the lock is a no-op here")
	}
	dir := t.TempDir()
	first, err := lockDataDir(dir)
	if err != nil {
		t.Fatalf("first lockDataDir: %v", err)
	}
	t.Cleanup(func() { _ = first.Close() })
	fi, err := os.Stat(first.Name())
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("got lock file mode %#o, want 0600", perm)
	}
	second, err := lockDataDir(dir)
	if err == nil {
		_ = second.Close()
		t.Fatal("got a second lock on a held data directory, want errDataDirInUse")
	}
	if !errors.Is(err, errDataDirInUse) || !strings.Contains(err.Error(), dir) {
		t.Errorf("got error %q, want errDataDirInUse naming %s", err, dir)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	third, err := lockDataDir(dir)
	if err != nil {
		t.Fatalf("got %v after the holder closed, want the lock", err)
	}
	_ = third.Close()
}
