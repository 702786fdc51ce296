package skill

import (
	"testing"
	"time"
)

func TestLimiterBucket(t *testing.T) {
	l := newLimiter(10, 10*time.Second, 5) // one token a second, burst 5
	t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for i := range 5 {
		if !l.Allow("u", t0) {
			t.Fatalf("turn %d of the burst refused", i+1)
		}
	}
	if l.Allow("u", t0) {
		t.Fatal("turn 6 at once allowed past the burst of 5")
	}
	if !l.Allow("other", t0) {
		t.Fatal("another user refused: buckets are per user")
	}
	if l.Allow("u", t0.Add(900*time.Millisecond)) {
		t.Fatal("allowed 0.9 s later with less than one token")
	}
	if !l.Allow("u", t0.Add(2*time.Second)) {
		t.Fatal("refused 2 s later, after a token refilled")
	}
}

// A wall clock set back does not drain a bucket: the user keeps the tokens
// they had, and gains none until the clock passes the last turn again.
func TestLimiterClockSetBack(t *testing.T) {
	l := newLimiter(10, 10*time.Second, 5)
	t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	l.Allow("u", t0) // 4 tokens left
	back := t0.Add(-time.Hour)
	for i := range 4 {
		if !l.Allow("u", back) {
			t.Fatalf("turn %d after the clock went back an hour refused", i+1)
		}
	}
	if l.Allow("u", back) {
		t.Fatal("allowed past the tokens left")
	}
}

func TestLimiterSweep(t *testing.T) {
	l := newLimiter(10, 10*time.Second, 5)
	t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	l.Allow("idle", t0)
	l.Allow("busy", t0)
	for range 4 {
		l.Allow("busy", t0.Add(3*time.Second))
	}
	l.Sweep(t0.Add(4 * time.Second)) // idle is full again, busy is not
	n := 0
	for i := range l.shards {
		for k := range l.shards[i].buckets {
			n++
			if k != "busy" {
				t.Errorf("bucket %q kept after sweep", k)
			}
		}
	}
	if n != 1 {
		t.Errorf("buckets after sweep: %d, want 1 (busy)", n)
	}
}
