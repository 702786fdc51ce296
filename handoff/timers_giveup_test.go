package handoff_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
	_ "github.com/mattn/go-sqlite3"
)

// giveUpOutage installs an injected store outage on the SQLite file of dir
// (a trigger, written through a second connection) that fails every write
// matching when; the returned func ends it.
func giveUpOutage(t *testing.T, dir, name, when string) (end func()) {
	t.Helper()
	side, err := sql.Open("sqlite3", filepath.Join(dir, "baton.db")+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = side.Close() })
	ctx := context.Background()
	if _, err := side.ExecContext(ctx, `CREATE TRIGGER `+name+` `+when+`
		BEGIN SELECT RAISE(ABORT, 'injected outage'); END`); err != nil {
		t.Fatal(err)
	}
	return func() {
		t.Helper()
		if _, err := side.ExecContext(ctx, `DROP TRIGGER `+name); err != nil {
			t.Fatal(err)
		}
	}
}

// TestTimerGivenUpIsScheduledAgain checks that a wait timeout whose firing
// fails MaxDeliver times in a row (a store outage: every write that ends a
// handoff fails) is scheduled again GiveUpDelay later instead of being
// dropped with its row pending, so once the outage is over the wait still
// times out and the user is back in bot.
func TestTimerGivenUpIsScheduledAgain(t *testing.T) {
	t.Parallel()
	d := newTimerDealer(t)
	dir := t.TempDir()
	e := startTimerEnv(t, dir, timerConfig(t, d, time.Second), nil, nil)
	ctx := context.Background()
	end := giveUpOutage(t, dir, "giveup_outage", "BEFORE UPDATE OF ended_at ON handoffs")

	e.turn("u-1on1", "상담원 블록", "상담원")
	c := e.conv("u-1on1")
	if c.State != fsm.StateWaiting {
		t.Fatalf("after escalating: got %s, want waiting", c.State)
	}
	// The 1 s wait timeout fires and fails DefaultMaxDeliver times (50 ms
	// apart in this env); the consumer then gives up on that firing.
	e.waitHandled(1)
	end()
	// What a restart would do.
	n, err := e.timers.Repair(ctx)
	if err != nil {
		t.Fatal(err)
	}
	testutil.CheckFor(t, 10*time.Second, 50*time.Millisecond, func() error {
		if got := e.conv("u-1on1").State; got != fsm.StateBot {
			tm := e.timer(store.TimerWaitTimeout, c.HandoffID)
			return fmt.Errorf("after the outage ended (timer due 1 s after the escalation): got %s, want bot (wait_timeout applied); the timer row is %s, and Repair scheduled %d timers",
				got, tm.Status, n)
		}
		return nil
	})
	if tm := e.timer(store.TimerWaitTimeout, c.HandoffID); tm.Status != store.TimerFired {
		t.Errorf("wait timeout: got status %s, want %s", tm.Status, store.TimerFired)
	}
}

// TestSweepOverdueSchedulesALostTimer checks that a pending timer left
// without a schedule — its firing given up on while the store also failed
// the re-schedule — is scheduled again by SweepOverdue once it is overdue
// by OverdueAfter, and then fires.
func TestSweepOverdueSchedulesALostTimer(t *testing.T) {
	t.Parallel()
	d := newTimerDealer(t)
	dir := t.TempDir()
	e := startTimerEnv(t, dir, timerConfig(t, d, time.Second), nil, nil)
	ctx := context.Background()

	e.turn("u-1on1", "상담원 블록", "상담원")
	c := e.conv("u-1on1")
	if c.State != fsm.StateWaiting {
		t.Fatalf("after escalating: got %s, want waiting", c.State)
	}
	// Every write that ends a handoff or touches a timer fails: the firing
	// and the re-schedule after giving up on it.
	endHandoffs := giveUpOutage(t, dir, "sweep_outage_handoffs", "BEFORE UPDATE OF ended_at ON handoffs")
	endTimers := giveUpOutage(t, dir, "sweep_outage_timers", "BEFORE UPDATE ON timers")
	e.waitHandled(1)
	endHandoffs()
	endTimers()

	// Only a sweep that finds it overdue can fire it again.
	sweeper := handoff.NewTimerConsumer(e.db, e.js, e.skill, e.timersConfig, nil, handoff.TimerOptions{OverdueAfter: time.Millisecond})
	var n int
	testutil.CheckFor(t, 5*time.Second, 20*time.Millisecond, func() error {
		var err error
		if n, err = sweeper.SweepOverdue(ctx); err != nil || n == 0 {
			return fmt.Errorf("SweepOverdue: got %d timers, %v; want 1", n, err)
		}
		return nil
	})
	if n != 1 {
		t.Errorf("SweepOverdue: got %d timers, want 1", n)
	}
	testutil.CheckFor(t, 10*time.Second, 50*time.Millisecond, func() error {
		if got := e.conv("u-1on1").State; got != fsm.StateBot {
			return fmt.Errorf("after the sweep: got %s, want bot (wait_timeout applied)", got)
		}
		return nil
	})
	if n, err := sweeper.SweepOverdue(ctx); err != nil || n != 0 {
		t.Errorf("SweepOverdue once the timer fired: got %d, %v; want 0, nil", n, err)
	}
}
