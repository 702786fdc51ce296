package store

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// crashChildEnv names the database a re-executed test binary writes to
// until it is killed.
const crashChildEnv = "BATON_STORE_CRASH_CHILD_DB"

// TestCrashChild is the child side of TestKillDuringCommits; it does nothing
// in a normal run.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashChildEnv)
	if path == "" {
		t.Skip("child process of TestKillDuringCommits only")
	}
	ctx := context.Background()
	db, err := Open(ctx, path, Options{})
	if err != nil {
		fmt.Println("open error:", err)
		os.Exit(2)
	}
	var mu sync.Mutex
	out := bufio.NewWriter(os.Stdout)
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				key := fmt.Sprintf("crash-%d-%d", g, i)
				if err := db.Commit(ctx, testTurn(key, 0, time.Now())); err != nil {
					fmt.Println("commit error:", err)
					os.Exit(2)
				}
				mu.Lock()
				fmt.Fprintln(out, key) // acknowledged: must survive the kill
				out.Flush()
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}

// TestKillDuringCommits SIGKILLs a process that is committing turns and
// checks that every turn it had acknowledged is in the reopened database.
func TestKillDuringCommits(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped under -short")
	}
	path := filepath.Join(t.TempDir(), "baton.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatalf("stdout pipe: %v", err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start child: %v", err)
	}
	var acked []string
	sc := bufio.NewScanner(stdout)
	for len(acked) < 500 && sc.Scan() {
		line := sc.Text()
		if len(line) < 6 || line[:6] != "crash-" {
			t.Fatalf("child: %s", line)
		}
		acked = append(acked, line)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatalf("kill child: %v", err)
	}
	// Keys acknowledged between our last read and the kill count too.
	for sc.Scan() {
		acked = append(acked, sc.Text())
	}
	_ = cmd.Wait()
	if len(acked) < 500 {
		t.Fatalf("child acknowledged %d turns before exiting, want >= 500", len(acked))
	}

	db, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer db.Close()
	if err := db.IntegrityCheck(context.Background()); err != nil {
		t.Fatal(err)
	}
	var missing int
	for _, key := range acked {
		if n, err := db.CountTurns(context.Background(), key); err != nil || n != 1 {
			missing++
			if missing <= 5 {
				t.Errorf("acknowledged turn of %s: got %d rows, %v, want 1", key, n, err)
			}
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged turns lost", missing, len(acked))
	}
	t.Logf("%d acknowledged turns survived SIGKILL", len(acked))
}
