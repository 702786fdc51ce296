//go:build audit

package handoff_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
	_ "github.com/mattn/go-sqlite3"
)

// TestAuditLoseTimerGivenUpLeavesWaitingForever shows that a wait timeout
// whose firing fails MaxDeliver times in a row (a store outage: disk full,
// I/O errors — here a real SQLite write failure injected with a trigger) is
// terminated by the timer consumer (timers.go handle: Term after MaxDeliver,
// with no ticket and no re-schedule), while its row stays 'pending'. The
// one-shot schedule has already fired and been purged, so nothing will ever
// fire it again, and Repair (run at every start-up) skips it because
// ConversationsWithoutTimer only looks for conversations with no pending
// row. Once the outage is over the user is stuck in `waiting` for good: the
// promise "no conversation is stuck in waiting without a pending timer" is
// kept only on paper. With the defaults (MaxDeliver 10, RetryDelay 5 s) an
// outage of about 50 s is enough.
func TestAuditLoseTimerGivenUpLeavesWaitingForever(t *testing.T) {
	d := newTimerDealer(t)
	dir := t.TempDir()
	e := startTimerEnv(t, dir, timerConfig(t, d, time.Second), nil, nil)
	ctx := context.Background()

	// The outage: every write that ends a handoff fails.
	side, err := sql.Open("sqlite3", filepath.Join(dir, "baton.db")+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = side.Close() })
	if _, err := side.ExecContext(ctx, `CREATE TRIGGER audit_outage BEFORE UPDATE OF ended_at ON handoffs
		BEGIN SELECT RAISE(ABORT, 'injected outage'); END`); err != nil {
		t.Fatal(err)
	}

	e.turn("u-1on1", "상담원 블록", "상담원")
	c := e.conv("u-1on1")
	if c.State != fsm.StateWaiting {
		t.Fatalf("after escalating: got %s, want waiting", c.State)
	}
	// The 1 s wait timeout fires and fails DefaultMaxDeliver times (50 ms
	// apart in this env); the consumer then terminates it.
	e.waitHandled(1)

	// The outage ends.
	if _, err := side.ExecContext(ctx, `DROP TRIGGER audit_outage`); err != nil {
		t.Fatal(err)
	}
	// What a restart would do.
	n, err := e.timers.Repair(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tm := e.timer(store.TimerWaitTimeout, c.HandoffID)
	t.Logf("after the outage: timer status %s (due %v), Repair scheduled %d", tm.Status, tm.DueAt, n)
	// Give a re-scheduled timer (due in the past) time to fire.
	deadline := time.Now().Add(10 * time.Second)
	got := e.conv("u-1on1").State
	for got != fsm.StateBot && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond) // polling a condition with a deadline, like testutil.CheckFor
		got = e.conv("u-1on1").State
	}
	if got != fsm.StateBot {
		t.Errorf("10 s after the outage ended (timer due 1 s after the escalation): got %s, want bot (wait_timeout applied); the timer row is %s with no schedule left in the stream, and Repair scheduled %d timers",
			got, tm.Status, n)
	}
}
