package store

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestOverdueTimersPendingPastCutoffOfKinds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	now := time.Now().Truncate(time.Millisecond)
	w := testTurn("u-overdue", 0, now)
	for _, tm := range []Timer{
		{Kind: TimerWaitTimeout, ID: "H1", DueAt: now.Add(-time.Hour)},
		{Kind: TimerIdle, ID: "H2", DueAt: now.Add(-2 * time.Hour)},
		{Kind: TimerAfterHours, ID: "A1", DueAt: now.Add(-time.Minute)},
		{Kind: TimerReopen, ID: "R1", DueAt: now.Add(-time.Hour)},
		{Kind: TimerWaitTimeout, ID: "H3", DueAt: now.Add(time.Hour)},
		{Kind: TimerWaitTimeout, ID: "H4", DueAt: now.Add(-3 * time.Hour)},
	} {
		tm.UserKey, tm.CreatedAt = "u-overdue", now
		w.Ops = append(w.Ops, ScheduleTimerOp(tm))
	}
	if err := db.Commit(ctx, w); err != nil {
		t.Fatal(err)
	}
	if ok, err := db.FinishTimer(ctx, TimerWaitTimeout, "H4", TimerFired, now); err != nil || !ok {
		t.Fatalf("FinishTimer H4: %v, %v", ok, err)
	}
	kinds := []string{TimerWaitTimeout, TimerIdle, TimerAfterHours}
	for _, tc := range []struct {
		name   string
		before time.Time
		limit  int
		kinds  []string
		want   []string
	}{
		{"past cutoff, most overdue first", now.Add(-30 * time.Minute), 10, kinds, []string{"H2", "H1"}},
		{"limit", now.Add(-30 * time.Minute), 1, kinds, []string{"H2"}},
		{"every overdue one of the kinds", now, 10, kinds, []string{"H2", "H1", "A1"}},
		{"one kind", now, 10, []string{TimerReopen}, []string{"R1"}},
		{"no kinds", now, 10, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts, err := db.OverdueTimers(ctx, tc.before, tc.limit, tc.kinds...)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, tm := range ts {
				got = append(got, tm.ID)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("OverdueTimers (-want +got):\n%s", diff)
			}
		})
	}
}
