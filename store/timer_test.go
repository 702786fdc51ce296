package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/google/go-cmp/cmp"
)

func TestTimersCommitWithTurnsAndCoverWaitingConversations(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	now := time.Now().Truncate(time.Millisecond).UTC()
	for _, k := range []string{"u-wait", "u-after"} {
		if err := db.Commit(ctx, testTurn(k, 0, now)); err != nil {
			t.Fatalf("Commit %s: %v", k, err)
		}
	}

	// u-wait escalates: waiting with handoff h1, without its timer yet.
	w := testTurn("u-wait", 1, now)
	w.Conv.State, w.Conv.HandoffID, w.Conv.Queue = fsm.StateWaiting, "h1", "general"
	w.OpenHandoff = &Handoff{ID: "h1", Code: "A7K2", UserKey: "u-wait", Queue: "general", Target: "notify", CreatedAt: now}
	if err := db.Commit(ctx, w); err != nil {
		t.Fatalf("Commit waiting: %v", err)
	}
	// u-after sits in after_hours with its timer.
	a := testTurn("u-after", 1, now)
	a.Conv.State = fsm.StateAfterHours
	a.Ops = []Op{ScheduleTimerOp(Timer{Kind: TimerAfterHours, ID: "01AFTER", UserKey: "u-after", DueAt: now.Add(time.Hour), CreatedAt: now})}
	if err := db.Commit(ctx, a); err != nil {
		t.Fatalf("Commit after_hours: %v", err)
	}
	got, err := db.ConversationsWithoutTimer(ctx)
	if err != nil {
		t.Fatalf("ConversationsWithoutTimer: %v", err)
	}
	if diff := cmp.Diff([]string{"u-wait"}, got); diff != "" {
		t.Errorf("ConversationsWithoutTimer (-want +got):\n%s", diff)
	}

	// The timer arrives outside a turn (a repair), with its schedule.
	wt := Timer{Kind: TimerWaitTimeout, ID: "h1", UserKey: "u-wait", HandoffID: "h1", DueAt: now.Add(30 * time.Minute), CreatedAt: now}
	msg := OutboxMsg{ID: NewID(now), Subject: "baton.timer.sched.wait_timeout.h1", Payload: []byte("h1"), CreatedAt: now,
		Headers: map[string]string{"Nats-Schedule": "@at 2026-01-01T00:00:00Z"}}
	if err := db.ScheduleTimer(ctx, wt, msg); err != nil {
		t.Fatalf("ScheduleTimer: %v", err)
	}
	if got, err := db.ConversationsWithoutTimer(ctx); err != nil || len(got) != 0 {
		t.Errorf("ConversationsWithoutTimer after scheduling: got %v, %v; want none", got, err)
	}
	if out, err := db.PendingOutbox(ctx, 10); err != nil || len(out) != 1 || out[0].Subject != msg.Subject {
		t.Errorf("PendingOutbox: got %+v, %v; want the schedule", out, err)
	}
	pending, err := db.PendingTimers(ctx, "u-wait")
	if err != nil {
		t.Fatalf("PendingTimers: %v", err)
	}
	wt.Status = TimerPending
	if diff := cmp.Diff([]Timer{wt}, pending); diff != "" {
		t.Errorf("PendingTimers (-want +got):\n%s", diff)
	}

	// The handoff ends in a turn that cancels its timers: waiting is over.
	e := testTurn("u-wait", 2, now)
	e.EndHandoff = &HandoffEnd{ID: "h1", Reason: "cancel", At: now}
	e.Ops = []Op{CancelHandoffTimersOp("h1", now)}
	if err := db.Commit(ctx, e); err != nil {
		t.Fatalf("Commit end: %v", err)
	}
	if got, _, err := db.Timer(ctx, TimerWaitTimeout, "h1"); err != nil || got.Status != TimerCancelled || !got.DoneAt.Equal(now) {
		t.Errorf("Timer after cancel: got %+v, %v; want cancelled at %v", got, err, now)
	}
	if ok, err := db.FinishTimer(ctx, TimerWaitTimeout, "h1", TimerFired, now); err != nil || ok {
		t.Errorf("FinishTimer on a cancelled timer: got %v, %v; want false", ok, err)
	}

	// Re-scheduling the same kind/id makes it pending again with the new due time.
	a2 := testTurn("u-after", 2, now)
	a2.Conv.State = fsm.StateAfterHours
	a2.Ops = []Op{CancelUserTimersOp("u-after", TimerAfterHours, now),
		ScheduleTimerOp(Timer{Kind: TimerAfterHours, ID: "01AFTER", UserKey: "u-after", DueAt: now.Add(2 * time.Hour), CreatedAt: now})}
	if err := db.Commit(ctx, a2); err != nil {
		t.Fatalf("Commit re-schedule: %v", err)
	}
	if got, _, err := db.Timer(ctx, TimerAfterHours, "01AFTER"); err != nil || got.Status != TimerPending || !got.DueAt.Equal(now.Add(2*time.Hour)) {
		t.Errorf("Timer after re-schedule: got %+v, %v; want pending, due in 2h", got, err)
	}
	n := &Notification{UserKey: "u-after", Kind: NotifyReopen, Ref: "01AFTER", CreatedAt: now}
	if ok, err := db.FinishTimer(ctx, TimerAfterHours, "01AFTER", TimerFired, now, AddNotificationOp(n)); err != nil || !ok {
		t.Fatalf("FinishTimer: got %v, %v; want true", ok, err)
	}
	if _, ok, err := db.Notification(ctx, n.ID); err != nil || !ok {
		t.Errorf("notification recorded with the firing: %v, %v; want it", ok, err)
	}
	all, err := db.UserTimers(ctx, "u-after")
	if err != nil || len(all) != 1 || all[0].Status != TimerFired {
		t.Errorf("UserTimers: got %+v, %v; want one fired timer", all, err)
	}
	if got, err := db.ConversationsWithoutTimer(ctx); err != nil || len(got) != 1 || got[0] != "u-after" {
		t.Errorf("ConversationsWithoutTimer after the after_hours timer fired: got %v, %v; want [u-after]", got, err)
	}
}

func TestPruneTimersKeepsPendingAndRecent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	now := time.Now().Truncate(time.Millisecond)
	w := testTurn("u-prune", 0, now)
	for i := range 3 {
		w.Ops = append(w.Ops, ScheduleTimerOp(Timer{Kind: TimerReopen, ID: fmt.Sprintf("T%d", i), UserKey: "u-prune", DueAt: now, CreatedAt: now}))
	}
	if err := db.Commit(ctx, w); err != nil {
		t.Fatal(err)
	}
	old := now.Add(-15 * 24 * time.Hour)
	if ok, err := db.FinishTimer(ctx, TimerReopen, "T0", TimerFired, old); err != nil || !ok {
		t.Fatalf("FinishTimer T0: %v, %v", ok, err)
	}
	if ok, err := db.FinishTimer(ctx, TimerReopen, "T1", TimerCancelled, now); err != nil || !ok {
		t.Fatalf("FinishTimer T1: %v, %v", ok, err)
	}
	n, err := db.PruneTimers(ctx, now.Add(-14*24*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("PruneTimers: got %d, %v; want 1 (the old fired one)", n, err)
	}
	all, err := db.UserTimers(ctx, "u-prune")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, tm := range all {
		ids = append(ids, tm.ID+":"+tm.Status)
	}
	if diff := cmp.Diff([]string{"T1:cancelled", "T2:pending"}, ids); diff != "" {
		t.Errorf("timers left (-want +got):\n%s", diff)
	}
}
