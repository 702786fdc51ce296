package handoff_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
)

// startNoRouterEnv is the timer path for real (SQLite and embedded
// JetStream in a temp dir, the skill server on 127.0.0.1, the outbox relay
// and the timer consumer applying through the skill server) with no
// router: the dealer never acknowledges a request. It returns the env and
// its directory.
func startNoRouterEnv(t *testing.T, wait time.Duration) (*timerEnv, string) {
	t.Helper()
	dir := t.TempDir()
	return startTimerEnvWith(t, dir, timerConfig(t, newTimerDealer(t), wait), nil, nil, timerEnvOpts{noRouter: true}), dir
}

func dealerFailedTickets(t *testing.T, e *timerEnv, handoffID string) int {
	t.Helper()
	var n int
	if err := e.db.ReadDB().QueryRow(`SELECT COUNT(*) FROM tickets WHERE handoff_id = ? AND reason = 'dealer_failed'`,
		handoffID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestGiveUpAfterAppliedTimeoutKeepsDealerTicket: a dealer handoff the
// dealer never acknowledged times out; the wait timeout commits (the timer
// row is fired) but opening its dealer_failed ticket fails on every
// delivery of the firing (a store outage that refuses ticket inserts).
// After MaxDeliver deliveries the consumer gives up. scheduleAfterGiveUp
// used to schedule only a timer still pending: this one is fired, so
// nothing was scheduled, and SweepOverdue (pending timers only) and Repair
// (the conversation is back in bot) never looked at it either. The ticket
// was never opened: the user waited, was told nobody came, and no agent
// ever heard of it.
//
// Correct (DESIGN §6 Handoff, dealer: "on final failure, fall back to
// notify sinks + a ticket (dealer_failed), never silence"; "once the
// timeout is committed, the timer opens the dealer_failed ticket ... a
// redelivered firing re-checks"; §6 Timers: "A firing that fails MaxDeliver
// (10) times in a row (a store outage) is not dropped: its timer is
// scheduled again GiveUpDelay ... later"): a given-up firing of a fired
// wait_timeout whose ticket is still undecided is fired again (or swept)
// once the outage ends, and opens the ticket.
func TestGiveUpAfterAppliedTimeoutKeepsDealerTicket(t *testing.T) {
	t.Parallel()
	e, dir := startNoRouterEnv(t, 300*time.Millisecond)
	ctx := context.Background()
	end := giveUpOutage(t, dir, "ticket_outage", "BEFORE INSERT ON tickets")

	e.turn("u-giveup", "VIP 블록", "VIP 상담")
	c := e.conv("u-giveup")
	if c.State != fsm.StateWaiting || c.HandoffID == "" {
		t.Fatalf("after escalating: state %s, handoff %q; want waiting with a handoff", c.State, c.HandoffID)
	}
	id := c.HandoffID
	// The 300 ms wait timeout fires: the timeout commits, the ticket insert
	// fails; every redelivery fails the same way until the consumer gives up.
	e.waitHandled(1)
	if got := e.conv("u-giveup").State; got != fsm.StateBot {
		t.Fatalf("after the firing: state %s, want bot (the timeout was applied)", got)
	}
	if tm := e.timer(store.TimerWaitTimeout, id); tm.Status != store.TimerFired {
		t.Fatalf("wait timeout row: %s, want fired", tm.Status)
	}
	if n := dealerFailedTickets(t, e, id); n != 0 {
		t.Fatalf("during the outage: %d dealer_failed tickets, want 0", n)
	}
	end() // the outage is over

	// What a restart and the overdue sweep would do.
	if _, err := e.timers.Repair(ctx); err != nil {
		t.Fatal(err)
	}
	sweeper := handoff.NewTimerConsumer(e.db, e.js, e.skill, e.timersConfig, nil, handoff.TimerOptions{OverdueAfter: time.Millisecond})
	if _, err := sweeper.SweepOverdue(ctx); err != nil {
		t.Fatal(err)
	}
	// GiveUpDelay is 12 × 50 ms here: well within the wait.
	testutil.CheckFor(t, 5*time.Second, 50*time.Millisecond, func() error {
		if n := dealerFailedTickets(t, e, id); n != 1 {
			return fmt.Errorf("after the outage (given up %d firings): %d dealer_failed tickets for the handoff the dealer never acknowledged, want 1 (never silence)",
				e.timers.Handled(), n)
		}
		return nil
	})
}

// TestEarlyFiringRescheduleLosesToRefresh: an idle timer's stale firing
// (an older schedule, or a NATS clock ahead) finds the row not yet due and
// re-schedules it for the due time it read. That write used not to be a
// compare-and-set (TimerConsumer.reschedule -> store.RescheduleTimer): a
// dealer event that refreshed the idle timer between the read and the
// write (RefreshIdle: due HumanIdle from the event) was overwritten, the
// row went back to the older due time and the schedule replacing the
// refreshed one fired then — the session was closed as idle earlier than
// HumanIdle after its last dealer event.
//
// Correct (DESIGN §6 Timers: the idle timer is "restarted by
// agent.assigned"; store.RepublishTimer's contract: a timer "rescheduled
// meanwhile (an idle timer refreshed by a dealer event), whose new schedule
// must not be overtaken by one for the old, overdue time"): the early
// firing's re-schedule only applies while the row still has the due time
// it read (RepublishTimer), so the refresh wins.
func TestEarlyFiringRescheduleLosesToRefresh(t *testing.T) {
	t.Parallel()
	d := newTimerDealer(t)
	dir := t.TempDir()
	var armed atomic.Bool
	var hook atomic.Pointer[func()]
	e := startTimerEnv(t, dir, timerConfig(t, d, time.Hour), nil, func(p *handoff.TimerPolicy) {
		// FireAt reads the NATS wall clock just before a re-schedule's
		// write: the instant a concurrent dealer event lands, made
		// deterministic.
		p.Wall = func() time.Time {
			if armed.CompareAndSwap(true, false) {
				if f := hook.Load(); f != nil {
					(*f)()
				}
			}
			return time.Now()
		}
	})
	ctx := context.Background()

	e.turn("u-refresh-idle", "VIP 블록", "VIP 상담")
	c := e.conv("u-refresh-idle")
	if c.State != fsm.StateWaiting || c.HandoffID == "" {
		t.Fatalf("after escalating: state %s, handoff %q; want waiting", c.State, c.HandoffID)
	}
	id := c.HandoffID
	if _, err := e.skill.Apply(ctx, "u-refresh-idle", fsm.EventAccepted, handoff.DealerSessionStarted); err != nil {
		t.Fatal(err)
	}
	if got := e.conv("u-refresh-idle").State; got != fsm.StateHuman {
		t.Fatalf("after the dealer's session.started: %s, want human", got)
	}
	before := e.timer(store.TimerIdle, id)
	if before.Status != store.TimerPending {
		t.Fatalf("idle timer: %s, want pending", before.Status)
	}
	e.waitPublished()

	// A dealer event an hour later refreshes the idle timer (a consumer with
	// that clock; DealerEvents.OnActivity calls RefreshIdle).
	later := handoff.NewTimerConsumer(e.db, e.js, e.skill, e.timersConfig, nil,
		handoff.TimerOptions{Now: func() time.Time { return time.Now().Add(time.Hour) }})
	var refreshed time.Time
	f := func() {
		if err := later.RefreshIdle(ctx, id); err != nil {
			t.Error(err)
			return
		}
		refreshed = e.timer(store.TimerIdle, id).DueAt
	}
	hook.Store(&f)
	armed.Store(true)
	// The stale firing of an older schedule.
	if _, err := e.js.Publish(ctx, handoff.SubjectTimerFire(store.TimerIdle, id), nil); err != nil {
		t.Fatal(err)
	}
	e.waitHandled(1)
	if armed.Load() || refreshed.IsZero() {
		t.Fatalf("the refresh never ran during the early firing's re-schedule")
	}
	if !refreshed.After(before.DueAt) {
		t.Fatalf("refresh moved the idle timer to %v, want later than %v", refreshed, before.DueAt)
	}
	after := e.timer(store.TimerIdle, id)
	if !after.DueAt.Equal(refreshed) {
		t.Errorf("idle timer after the early firing: due %v (the stale due time read before the refresh); want %v, the refresh's (the session would be closed as idle %v early)",
			after.DueAt, refreshed, refreshed.Sub(after.DueAt))
	}
}
