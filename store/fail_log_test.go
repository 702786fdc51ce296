package store

import (
	"testing"
	"time"
)

// TestFailLogCountAfterARecovery: the failures a logged recovery ended are
// counted by that line (its run), not again by the "failing again" line
// that follows it, which covers only the failures since.
func TestFailLogCountAfterARecovery(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)
	f := failLog{clock: func() time.Time { return now }}
	if log, _, count := f.failed(CauseDiskFull); !log || count != 1 {
		t.Fatalf("first failure: got log %v count %d, want a line counting 1", log, count)
	}
	for range 3 { // held back within the minute
		now = now.Add(time.Second)
		if log, _, _ := f.failed(CauseDiskFull); log {
			t.Fatal("a failure within the minute was logged")
		}
	}
	now = now.Add(time.Second)
	if log, run, _ := f.succeeded(); !log || run != 4 {
		t.Fatalf("recovery: got log %v run %d, want a line counting 4", log, run)
	}
	now = now.Add(time.Second)
	log, again, count := f.failed(CauseDiskFull)
	if !log || !again || count != 1 {
		t.Errorf("failure after the recovery: got log %v again %v count %d, want a line again counting 1", log, again, count)
	}
}
