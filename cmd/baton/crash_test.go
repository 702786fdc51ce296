package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
)

// TestMain lets the test binary run as `baton serve` in a child process
// (for crash tests): BATON_TEST_AS_BATON=1 and the arguments as JSON in
// BATON_TEST_ARGS.
func TestMain(m *testing.M) {
	if os.Getenv("BATON_TEST_AS_BATON") == "1" {
		var args []string
		if err := json.Unmarshal([]byte(os.Getenv("BATON_TEST_ARGS")), &args); err != nil {
			fmt.Fprintln(os.Stderr, "BATON_TEST_ARGS:", err)
			os.Exit(2)
		}
		os.Exit(run(args, os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(runTests(m))
}

// child is `baton serve` running in another process.
type child struct {
	cmd  *exec.Cmd
	addr string
	done chan struct{}
}

// startChild starts the test binary as `baton serve` on dataDir and waits
// until it logs that it is serving.
// stop sends SIGTERM and waits for the child to exit.
func (c *child) stop(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.done:
	case <-time.After(30 * time.Second):
		t.Fatal("baton serve did not stop on SIGTERM")
	}
}

// waitReached waits until every user in acked has at least one handoff id
// in got() (user → handoff id → POSTs), naming where the first laggard is.
func waitReached(t *testing.T, within time.Duration, where string, acked []string, got func() map[string]map[string]int) {
	t.Helper()
	testutil.CheckFor(t, within, 50*time.Millisecond, func() error {
		g := got()
		for _, u := range acked {
			if len(g[u]) == 0 {
				return fmt.Errorf("%s: not at the %s yet (%d of %d acknowledged users there)", u, where, len(g), len(acked))
			}
		}
		return nil
	})
}

func startChild(t *testing.T, dataDir string) *child {
	t.Helper()
	return startChildArgs(t, dataDir)
}

// startChildArgs is startChild with more `baton serve` flags (e.g. --nats).
func startChildArgs(t *testing.T, dataDir string, extra ...string) *child {
	t.Helper()
	args, _ := json.Marshal(append([]string{"serve", "--config", exampleConfig, "--addr", "127.0.0.1:0", "--admin-addr", "127.0.0.1:0", "--data", dataDir}, extra...))
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "BATON_TEST_AS_BATON=1", "BATON_TEST_ARGS="+string(args))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, done: make(chan struct{})}
	addrCh := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<16), 1<<20)
		for sc.Scan() {
			var line struct {
				Msg  string `json:"msg"`
				Addr string `json:"addr"`
			}
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "baton serving" {
				addrCh <- line.Addr
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	go func() { _ = cmd.Wait(); close(c.done) }()
	select {
	case c.addr = <-addrCh:
	case <-c.done:
		t.Fatal("baton serve exited before serving")
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("baton serve did not start within 60s")
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); <-c.done })
	return c
}

// TestSlowCrashRestart SIGKILLs `baton serve` under load several times. After
// each restart every turn that was answered (200, not the fallback) is in
// turns; at most the one turn in flight per user may be stored without an
// answer. Then PRAGMA integrity_check is ok and the JetStream store opened
// (the server came up, which creates or updates the stream).
func TestSlowCrashRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("crash loop: not in -short")
	}
	dataDir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	var mu sync.Mutex
	acked := map[string]int{}
	const rounds, workers = 3, 12
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: workers}}

	for round := range rounds {
		c := startChild(t, dataDir)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				// Each user gets at most 5 turns (the rate limit's burst),
				// so no answer is a rate-limit text.
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					user := fmt.Sprintf("crash-r%d-w%d-u%d", round, w, i/5)
					tr := turn{User: user, Utterance: []string{"", "배송 조회", "환불 언제 돼요", "1", "0"}[i%5]}
					if i%5 == 0 {
						tr.Block = "웰컴 블록"
					}
					resp, err := client.Post("http://"+c.addr+"/skill", "application/json", strings.NewReader(string(tr.payload())))
					if err != nil {
						return // the server was killed
					}
					body, err := io.ReadAll(resp.Body)
					resp.Body.Close()
					if err != nil || resp.StatusCode != 200 {
						return
					}
					if isFallback(t, body) {
						t.Errorf("user %s turn %d: got the fallback under normal load", user, i)
						return
					}
					mu.Lock()
					acked[user]++
					mu.Unlock()
				}
			})
		}
		time.Sleep(time.Duration(300+rng.IntN(700)) * time.Millisecond) // let load build, then kill at a random moment
		if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-c.done
		close(stop)
		wg.Wait()
	}

	// Restart once more: the SQLite file and the JetStream store must open.
	c := startChild(t, dataDir)
	c.stop(t)

	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(dataDir, "baton.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.IntegrityCheck(ctx); err != nil {
		t.Fatalf("integrity check: %v", err)
	}
	total := 0
	for user, n := range acked {
		got, err := db.CountTurns(ctx, user)
		if err != nil {
			t.Fatal(err)
		}
		if got < n || got > n+1 {
			t.Errorf("user %s: %d turns stored, %d answered; want answered ≤ stored ≤ answered+1", user, got, n)
		}
		total += n
	}
	if total < 100 {
		t.Fatalf("only %d turns answered across %d rounds: the load did not run", total, rounds)
	}
	t.Logf("%d rounds, %d users, %d answered turns all stored", rounds, len(acked), total)
}
