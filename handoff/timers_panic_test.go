package handoff

import (
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/testlog"
	"github.com/baton-chat/baton/store"
)

// panickingClock returns a TimerOptions.Now that panics (an assignment to a
// nil map, as a bug would) on the calls panicOn says.
func panickingClock(panicOn func(n int64) bool) func() time.Time {
	var calls atomic.Int64
	return func() time.Time {
		if panicOn(calls.Add(1)) {
			var m map[string]int
			m["now"]++ // panics: assignment to entry in nil map
		}
		return time.Now()
	}
}

// TestTimerPanicIsAFailedAttempt: a firing whose processing panics once
// does not take the timers consumer down: it goes on with the next firing,
// and the one that panicked is retried and handled (stale: no such timer).
// The panic is logged once at ERROR with its stack and counted.
func TestTimerPanicIsAFailedAttempt(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	var logs testlog.Buffer
	tc := NewTimerConsumer(f.db, f.js, nil, nil, slog.New(slog.NewTextHandler(&logs, nil)), TimerOptions{
		MaxDeliver: 3, RetryDelay: 20 * time.Millisecond,
		Now: panickingClock(func(n int64) bool { return n == 1 }),
	})
	republish(t, f, SubjectTimerFire(store.TimerIdle, "t-panic-a"), "")
	republish(t, f, SubjectTimerFire(store.TimerIdle, "t-panic-b"), "")
	runUntilCleanup(t, tc.Run)
	checkForT(t, 5*time.Second, func() error {
		if got := tc.Handled(); got != 2 {
			return fmt.Errorf("got %d firings handled, want 2", got)
		}
		return nil
	})
	for result, want := range map[string]float64{timerPanicked: 1, "retry": 1, timerStale: 2, "poison": 0} {
		if got := counterValue(t, tc.fired.WithLabelValues(store.TimerIdle, result)); got != want {
			t.Errorf("got baton_timers_fired_total{result=%q} %v, want %v", result, got, want)
		}
	}
	out := logs.String()
	if got := strings.Count(out, "level=ERROR"); got != 1 {
		t.Errorf("got %d ERROR lines, want 1 (the panic):\n%s", got, out)
	}
	for _, want := range []string{"assignment to entry in nil map", "stack=", "timers_panic_test.go", "subject=baton.timer.fire.idle."} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

// TestTimerAlwaysPanickingIsGivenUp: a firing that panics on every
// delivery is given up after MaxDeliver, like any failing firing.
func TestTimerAlwaysPanickingIsGivenUp(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	tc := NewTimerConsumer(f.db, f.js, nil, nil, nil, TimerOptions{
		MaxDeliver: 2, RetryDelay: 20 * time.Millisecond,
		Now: panickingClock(func(int64) bool { return true }),
	})
	republish(t, f, SubjectTimerFire(store.TimerIdle, "t-panic-always"), "")
	runUntilCleanup(t, tc.Run)
	checkForT(t, 5*time.Second, func() error {
		if got := tc.Handled(); got != 1 {
			return fmt.Errorf("got %d firings handled, want 1", got)
		}
		return nil
	})
	for result, want := range map[string]float64{timerPanicked: 2, "retry": 1, "poison": 1, timerStale: 0} {
		if got := counterValue(t, tc.fired.WithLabelValues(store.TimerIdle, result)); got != want {
			t.Errorf("got baton_timers_fired_total{result=%q} %v, want %v", result, got, want)
		}
	}
}
