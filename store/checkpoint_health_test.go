package store

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/testlog"
)

// TestCheckpointFailureLinesBounded fills the database with the disk-full
// drill (SetPageLimit) and has the background checkpoints fail with the
// SQLITE_FULL the writer got, as a real full disk fails them (the database
// file cannot grow; max_page_count itself does not bind checkpoints). Many
// failed checkpoints within a minute must give one WARN line, the next
// minute one more counting the failures held back, and the first
// checkpoint after the limit is raised one "checkpoints recovered" line.
func TestCheckpointFailureLinesBounded(t *testing.T) {
	t.Parallel()
	var logs testlog.Buffer
	var full atomic.Pointer[error] // the disk-full error checkpoints fail with, nil once freed
	var failed, passed atomic.Int64
	db, _ := openTestDB(t, Options{
		Logger:          slog.New(slog.NewTextHandler(&logs, nil)),
		checkpointEvery: 2 * time.Millisecond,
		checkpointHook: func(real func() error) error {
			if err := full.Load(); err != nil {
				failed.Add(1)
				return *err
			}
			passed.Add(1)
			return real()
		},
	})
	var skew atomic.Int64 // how far the checkpointer's clock is ahead of time.Now
	db.ckptHealth.clock = func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	ctx := context.Background()
	if _, err := db.SetPageLimit(ctx, 1); err != nil {
		t.Fatal(err)
	}
	var err error
	for i := 0; i < 1000 && err == nil; i++ {
		err = db.Commit(ctx, testTurn(fmt.Sprintf("u-ckpt-%d", i), 0, time.Now()))
	}
	if got := Cause(err); got != CauseDiskFull {
		t.Fatalf("Cause of the failed commit %v: got %q, want %q", err, got, CauseDiskFull)
	}
	full.Store(&err)
	waitCount := func(c *atomic.Int64, n int64) {
		t.Helper()
		from := c.Load()
		checkFor(t, 5*time.Second, time.Millisecond, func() error {
			if got := c.Load() - from; got < n {
				return fmt.Errorf("%d checkpoints, want %d", got, n)
			}
			return nil
		})
	}
	waitCount(&failed, 30)
	skew.Store(int64(2 * failLogEvery)) // a minute later, still full
	waitCount(&failed, 5)
	if _, err := db.SetPageLimit(ctx, 1<<30); err != nil {
		t.Fatal(err)
	}
	full.Store(nil)
	waitCount(&passed, 10)

	line := regexp.MustCompile(`level=(\w+) msg="(store: checkpoint[^;"]*)[^"]*".*?(failed_checkpoints=\d+)`)
	var got []string
	for _, l := range strings.Split(logs.String(), "\n") {
		if m := line.FindStringSubmatch(l); m != nil {
			got = append(got, m[1]+" "+m[2])
			if !strings.Contains(l, `cause="disk full"`) {
				t.Errorf("line %q does not name the cause disk full", l)
			}
			if m[2] == "store: checkpoint failed" && len(got) == 2 && m[3] == "failed_checkpoints=1" {
				t.Errorf("the second failure line %q does not count the failures held back", l)
			}
		}
	}
	want := []string{
		"WARN store: checkpoint failed",
		"WARN store: checkpoint failed",
		"WARN store: checkpoints recovered",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got checkpoint lines\n%s\nwant\n%s\nlog:\n%.3000s", strings.Join(got, "\n"), strings.Join(want, "\n"), logs.String())
	}
}
