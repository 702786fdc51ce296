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

// TestWriteFailureLinesAfterARecovery fills the database (SetPageLimit)
// and frees it again, twice, then once more a minute later: the failure
// that follows a logged "writes recovered" is an ERROR line of its own
// (the last line must not say recovered while writes fail), while a disk
// that flaps within the minute adds neither ERROR nor recovered lines, and
// its final recovery is logged once the minute has passed.
func TestWriteFailureLinesAfterARecovery(t *testing.T) {
	t.Parallel()
	var logs testlog.Buffer
	db, _ := openTestDB(t, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	ctx := context.Background()
	var skew atomic.Int64 // how far the writer's clock is ahead of time.Now
	db.writer.failLog.clock = func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	turns := 0
	commit := func() error {
		turns++
		return db.Commit(ctx, testTurn(fmt.Sprintf("u-flap-%d", turns), 0, time.Now()))
	}
	limit := func(pages int64) {
		t.Helper()
		if _, err := db.SetPageLimit(ctx, pages); err != nil {
			t.Fatal(err)
		}
	}
	fill := func() {
		t.Helper()
		limit(1) // SQLite keeps the file's current size as the limit
		var err error
		for i := 0; i < 1000 && err == nil; i++ {
			err = commit()
		}
		if got := Cause(err); got != CauseDiskFull {
			t.Fatalf("Cause of the failed commit %v: got %q, want %q", err, got, CauseDiskFull)
		}
	}
	free := func() {
		t.Helper()
		limit(1 << 30)
		if err := commit(); err != nil {
			t.Fatalf("Commit after the limit was raised: got %v, want nil", err)
		}
	}

	fill()
	free()
	fill() // within the minute of the recovery: an ERROR line all the same
	free() // flapping: not said again within the minute
	fill() // the same run: DEBUG only
	free()
	skew.Store(int64(2 * failLogEvery))
	if err := commit(); err != nil { // the minute has passed
		t.Fatal(err)
	}

	line := regexp.MustCompile(`level=(\w+) msg="(store: (?:group commit failed|writes recovered|writes failing again))`)
	var got []string
	for _, l := range strings.Split(logs.String(), "\n") {
		if m := line.FindStringSubmatch(l); m != nil {
			got = append(got, m[1]+" "+m[2])
		}
	}
	want := []string{
		"ERROR store: group commit failed",
		"WARN store: writes recovered",
		"ERROR store: writes failing again",
		"WARN store: writes recovered",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got store lines\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
