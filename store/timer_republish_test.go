package store

import (
	"context"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
)

// TestRepublishTimerComparesTheDueTime: a given-up or overdue timer is
// scheduled again only while it is still pending at the due time it was
// read with. An idle timer refreshed in between keeps its new due time and
// gets no schedule for the old, overdue one (which would close the session
// early); a finished one gets none either.
func TestRepublishTimerComparesTheDueTime(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	old := now.Add(-10 * time.Minute)
	refreshed := now.Add(30 * time.Minute)
	for _, tc := range []struct {
		name    string
		between func(db *DB, t Timer) error // after the read, before the republish
		want    bool
		wantDue time.Time
	}{
		{"unchanged", nil, true, old},
		{"refreshed meanwhile", func(db *DB, t Timer) error {
			t.DueAt = refreshed
			return db.ScheduleTimer(ctx, t, OutboxMsg{ID: NewID(now), Subject: "baton.timer.sched.idle.refresh", Payload: []byte("x"), CreatedAt: now})
		}, false, refreshed},
		{"fired meanwhile", func(db *DB, t Timer) error {
			_, err := db.FinishTimer(ctx, t.Kind, t.ID, TimerFired, now)
			return err
		}, false, old},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, _ := openTestDB(t, Options{})
			w := testTurn("u-idle", 0, old)
			w.Conv.State, w.Conv.HandoffID, w.Conv.Queue = fsm.StateHuman, "01IDLE", "vip"
			w.OpenHandoff = &Handoff{ID: "01IDLE", Code: "I001", UserKey: "u-idle", Queue: "vip", Target: "dealer:acme", CreatedAt: old}
			if err := db.Commit(ctx, w); err != nil {
				t.Fatalf("Commit: %v", err)
			}
			tm := Timer{Kind: TimerIdle, ID: "01IDLE", UserKey: "u-idle", HandoffID: "01IDLE", DueAt: old, CreatedAt: old.Add(-time.Hour)}
			if err := db.ScheduleTimer(ctx, tm, OutboxMsg{ID: NewID(old), Subject: "baton.timer.sched.idle.first", Payload: []byte("x"), CreatedAt: old}); err != nil {
				t.Fatalf("ScheduleTimer: %v", err)
			}
			read, found, err := db.Timer(ctx, TimerIdle, "01IDLE")
			if err != nil || !found {
				t.Fatalf("Timer: got %v, %v", found, err)
			}
			if tc.between != nil {
				if err := tc.between(db, read); err != nil {
					t.Fatal(err)
				}
			}
			const subject = "baton.timer.sched.idle.again"
			changed, err := db.RepublishTimer(ctx, read, OutboxMsg{ID: NewID(now), Subject: subject, Payload: []byte("x"), CreatedAt: now})
			if err != nil || changed != tc.want {
				t.Fatalf("RepublishTimer: got %v, %v; want %v", changed, err, tc.want)
			}
			got, _, err := db.Timer(ctx, TimerIdle, "01IDLE")
			if err != nil {
				t.Fatal(err)
			}
			if !got.DueAt.Equal(tc.wantDue) {
				t.Errorf("got due %v, want %v", got.DueAt, tc.wantDue)
			}
			var queued int
			if err := db.r.QueryRow(`SELECT COUNT(*) FROM outbox WHERE subject = ?`, subject).Scan(&queued); err != nil {
				t.Fatal(err)
			}
			if want := map[bool]int{true: 1, false: 0}[tc.want]; queued != want {
				t.Errorf("got %d schedules queued, want %d", queued, want)
			}
		})
	}
}
