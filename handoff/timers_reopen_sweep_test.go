package handoff_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
)

// TestSweepOverdueRebuildsAReopenTimer: a "열리면 알려주세요" timer whose
// schedule was lost (with the JetStream store) is scheduled again by the
// overdue sweep, for the queue the user asked about (vip, not the default
// general): the row keeps the queue, which used to travel only in the lost
// schedule.
func TestSweepOverdueRebuildsAReopenTimer(t *testing.T) {
	t.Parallel()
	d := newTimerDealer(t)
	hours := &closedUntil{}
	hours.opens.Store(time.Now().Add(time.Hour).UnixMilli())
	e := startTimerEnv(t, t.TempDir(), timerConfig(t, d, time.Minute), hours, nil)
	ctx := context.Background()

	e.turn("u-vip-reopen", "VIP 블록", "상담원")
	if c := e.conv("u-vip-reopen"); c.State != fsm.StateAfterHours || c.Queue != "vip" {
		t.Fatalf("escalating to vip while closed: got %s on %q, want after_hours on vip", c.State, c.Queue)
	}
	e.turn("u-vip-reopen", "폴백 블록", e.cfg.Texts.NotifyOnOpen)
	timers, err := e.db.PendingTimers(ctx, "u-vip-reopen")
	if err != nil || len(timers) != 1 || timers[0].Kind != store.TimerReopen || timers[0].Queue != "vip" {
		t.Fatalf("pending timers: got %+v, %v; want one reopen of vip", timers, err)
	}
	reopen := timers[0]

	// Two hours on, the timer (due at the opening, in an hour) has not
	// fired: its schedule is gone. The sweep schedules it again.
	later := func() time.Time { return time.Now().Add(2 * time.Hour) }
	sweeper := handoff.NewTimerConsumer(e.db, e.js, e.skill, e.timersConfig, nil,
		handoff.TimerOptions{OverdueAfter: time.Millisecond, Now: later})
	testutil.CheckFor(t, 5*time.Second, 20*time.Millisecond, func() error {
		n, err := sweeper.SweepOverdue(ctx)
		if err != nil || n != 1 {
			return fmt.Errorf("SweepOverdue: got %d timers, %v; want 1", n, err)
		}
		return nil
	})
	sched := handoff.SubjectTimerSchedule(store.TimerReopen, reopen.ID)
	rows, err := e.db.ReadDB().QueryContext(ctx, `SELECT payload FROM outbox WHERE subject = ? ORDER BY id`, sched)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var payloads []string
	for rows.Next() {
		var p []byte
		if err := rows.Scan(&p); err != nil {
			t.Fatal(err)
		}
		payloads = append(payloads, string(p))
	}
	if len(payloads) != 2 || payloads[1] != "vip" {
		t.Errorf("schedules of the reopen timer: got payloads %q, want the first and the sweep's, both for vip", payloads)
	}
}
