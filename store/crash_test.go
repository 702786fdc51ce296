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

// TestCrashChild is the child side of TestSlowKillDuringCommits; it does nothing
// in a normal run.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashChildEnv)
	if path == "" {
		t.Skip("child process of TestSlowKillDuringCommits only")
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
				// Each user takes turnsPerUser turns: the first writes its
				// users row, the rest only the turn and the journal.
				key := fmt.Sprintf("crash-%d-%d", g, i)
				var version int64
				for range turnsPerUser {
					w := testTurn(key, version, time.Now())
					if err := db.Commit(ctx, w); err != nil {
						fmt.Println("commit error:", err)
						os.Exit(2)
					}
					version = w.Conv.Version
					mu.Lock()
					fmt.Fprintln(out, key, version) // acknowledged: must survive the kill
					out.Flush()
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
}

// turnsPerUser is how many turns each user of the crash child takes.
const turnsPerUser = 4

// TestSlowKillDuringCommits SIGKILLs a process that is committing turns and
// checks that every turn it had acknowledged is in the reopened database,
// with the conversation at the version of the user's last acknowledged turn
// (or the next, committed but not yet acknowledged when the kill came).
func TestSlowKillDuringCommits(t *testing.T) {
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
	acked := map[string]int64{} // user → version of their last acknowledged turn
	var lines int
	sc := bufio.NewScanner(stdout)
	read := func() {
		var key string
		var v int64
		if _, err := fmt.Sscan(sc.Text(), &key, &v); err != nil || len(key) < 6 || key[:6] != "crash-" {
			t.Fatalf("child: %s", sc.Text())
		}
		acked[key] = max(acked[key], v)
		lines++
	}
	for lines < 2000 && sc.Scan() {
		read()
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatalf("kill child: %v", err)
	}
	// Turns acknowledged between our last read and the kill count too.
	for sc.Scan() {
		read()
	}
	_ = cmd.Wait()
	if lines < 2000 {
		t.Fatalf("child acknowledged %d turns before exiting, want >= 2000", lines)
	}

	db, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer db.Close()
	if err := db.IntegrityCheck(context.Background()); err != nil {
		t.Fatal(err)
	}
	var bad int
	for key, v := range acked {
		_, c, _, err := db.Load(context.Background(), key)
		n, cerr := db.CountTurns(context.Background(), key)
		// The table itself, as the replay of the journal left it.
		_, row, _, _, lerr := db.loadTable(context.Background(), key)
		if err != nil || cerr != nil || lerr != nil || c.Version < v || c.Version > v+1 ||
			int64(n) != c.Version || row.Version != c.Version {
			bad++
			if bad <= 5 {
				t.Errorf("%s: acknowledged version %d; loaded version %d (%v), table version %d (%v), %d turns (%v)",
					key, v, c.Version, err, row.Version, lerr, n, cerr)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d users lost acknowledged turns or disagree with their turns", bad, len(acked))
	}
	var journal int
	if err := db.ReadDB().QueryRow(`SELECT count(*) FROM conv_journal`).Scan(&journal); err != nil || journal != 0 {
		t.Errorf("journal rows after reopen: got %d, %v, want 0 (replayed)", journal, err)
	}
	t.Logf("%d acknowledged turns of %d users survived SIGKILL", lines, len(acked))
}
