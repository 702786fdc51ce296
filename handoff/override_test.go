package handoff

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
	"github.com/google/go-cmp/cmp"
)

// control builds a HoursControl on the office hours with the kr calendar,
// a real store and a clock the test moves.
func control(t *testing.T, db *store.DB, now *time.Time, env Override) *HoursControl {
	t.Helper()
	h, err := NewHours(officeConfig("kr"), krCalendars(t), env)
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewHoursControl(context.Background(), db, h)
	if err != nil {
		t.Fatal(err)
	}
	c.Now = func() time.Time { return *now }
	return c
}

type openCase struct {
	name     string
	queue    string
	t        time.Time
	open     bool
	wantNext time.Time
}

func checkOpen(t *testing.T, c *HoursControl, cases []openCase) {
	t.Helper()
	for _, tc := range cases {
		open, next := c.Open(tc.queue, tc.t)
		if open != tc.open || !next.Equal(tc.wantNext) {
			t.Errorf("%s: Open(%s, %v): got %v, %v; want %v, %v", tc.name, tc.queue, tc.t, open, next, tc.open, tc.wantNext)
		}
	}
}

func TestOverrideOpenOnHolidayNight(t *testing.T) {
	ctx := context.Background()
	now := kst(2026, 2, 16, 21, 0) // 설날 전날, evening
	c := control(t, testutil.Store(t), &now, OverrideNone)
	checkOpen(t, c, []openCase{{"before the override", "general", kst(2026, 2, 16, 22, 0), false, kst(2026, 2, 19, 9, 0)}})

	if err := c.SetOverride(ctx, "general", OverrideOpen, kst(2026, 2, 17, 0, 0), "master"); err != nil {
		t.Fatal(err)
	}
	checkOpen(t, c, []openCase{
		{"open now on a holiday night", "general", kst(2026, 2, 16, 22, 0), true, time.Time{}},
		{"another queue keeps its hours", "vip", kst(2026, 2, 16, 22, 0), false, kst(2026, 2, 19, 9, 0)},
		{"expired at until", "general", kst(2026, 2, 17, 0, 0), false, kst(2026, 2, 19, 9, 0)},
	})

	// "*" opens every queue; the queue's own override still wins.
	if err := c.SetOverride(ctx, AllQueues, OverrideOpen, time.Time{}, "master"); err != nil {
		t.Fatal(err)
	}
	if err := c.SetOverride(ctx, "vip", OverrideClosed, kst(2026, 2, 16, 23, 0), "master"); err != nil {
		t.Fatal(err)
	}
	checkOpen(t, c, []openCase{
		{"* opens vip after its own closed override ends", "vip", kst(2026, 2, 16, 22, 0), false, kst(2026, 2, 16, 23, 0)},
		{"* open until cleared", "general", kst(2026, 2, 18, 3, 0), true, time.Time{}},
	})
	if err := c.ClearOverride(ctx, AllQueues); err != nil {
		t.Fatal(err)
	}
	checkOpen(t, c, []openCase{{"cleared", "general", kst(2026, 2, 18, 3, 0), false, kst(2026, 2, 19, 9, 0)}})
}

func TestOverrideClosedUntil(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := kst(2026, 11, 23, 10, 0) // Monday, office hours
	c := control(t, testutil.Store(t), &now, OverrideNone)
	for _, tc := range []struct {
		name     string
		until    time.Time
		wantNext time.Time
	}{
		{"until inside a window", kst(2026, 11, 23, 15, 0), kst(2026, 11, 23, 15, 0)},
		{"until in the lunch hour", kst(2026, 11, 23, 12, 30), kst(2026, 11, 23, 13, 0)},
		{"until after closing", kst(2026, 11, 23, 18, 30), kst(2026, 11, 24, 9, 0)},
		{"until over the weekend", kst(2026, 11, 27, 17, 0), kst(2026, 11, 27, 17, 0)},
		{"until friday night", kst(2026, 11, 27, 20, 0), kst(2026, 11, 30, 9, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := c.SetOverride(ctx, "general", OverrideClosed, tc.until, "manager"); err != nil {
				t.Fatal(err)
			}
			checkOpen(t, c, []openCase{
				{"during the override", "general", kst(2026, 11, 23, 10, 30), false, tc.wantNext},
				{"at its next opening", "general", tc.wantNext, true, time.Time{}},
				{"another queue is open", "vip", kst(2026, 11, 23, 10, 30), true, time.Time{}},
			})
			if got := c.NextOpen("general", kst(2026, 11, 23, 10, 30)); !got.Equal(tc.wantNext) {
				t.Errorf("NextOpen: got %v, want %v", got, tc.wantNext)
			}
		})
	}

	// A later "*" closure pushes the queue's opening past both.
	if err := c.SetOverride(ctx, "general", OverrideClosed, kst(2026, 11, 23, 14, 0), "manager"); err != nil {
		t.Fatal(err)
	}
	if err := c.SetOverride(ctx, AllQueues, OverrideClosed, kst(2026, 11, 24, 11, 0), "master"); err != nil {
		t.Fatal(err)
	}
	checkOpen(t, c, []openCase{
		{"queue and * closures chain", "general", kst(2026, 11, 23, 10, 30), false, kst(2026, 11, 24, 11, 0)},
		{"* closes vip too", "vip", kst(2026, 11, 23, 10, 30), false, kst(2026, 11, 24, 11, 0)},
	})
	// Closed until cleared: no next opening is known.
	if err := c.SetOverride(ctx, AllQueues, OverrideClosed, time.Time{}, "master"); err != nil {
		t.Fatal(err)
	}
	checkOpen(t, c, []openCase{{"closed until cleared", "vip", kst(2026, 11, 23, 10, 30), false, time.Time{}}})
}

func TestOverrideBeatsEnvironment(t *testing.T) {
	now := kst(2026, 11, 23, 10, 0)
	c := control(t, testutil.Store(t), &now, OverrideClosed) // BATON_HOURS_OVERRIDE=closed
	checkOpen(t, c, []openCase{{"env closed", "general", now, false, time.Time{}}})
	if err := c.SetOverride(context.Background(), "general", OverrideOpen, now.Add(time.Hour), "master"); err != nil {
		t.Fatal(err)
	}
	checkOpen(t, c, []openCase{
		{"admin open beats env closed", "general", now, true, time.Time{}},
		{"env closed after the admin override", "general", now.Add(time.Hour), false, time.Time{}},
	})
}

func TestOverrideSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "baton.db")
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := kst(2026, 11, 23, 10, 0)
	c := control(t, db, &now, OverrideNone)
	until := kst(2026, 11, 23, 15, 0)
	if err := c.SetOverride(ctx, "general", OverrideClosed, until, "관리자"); err != nil {
		t.Fatal(err)
	}
	if err := c.SetOverride(ctx, AllQueues, OverrideOpen, kst(2026, 11, 23, 10, 30), "master"); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db, err = store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	now = kst(2026, 11, 23, 11, 0) // the "*" override has expired meanwhile
	c = control(t, db, &now, OverrideNone)
	checkOpen(t, c, []openCase{{"after reopen", "general", kst(2026, 11, 23, 11, 0), false, until}})
	got, err := c.Overrides(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []QueueOverride{{Queue: "general", Mode: OverrideClosed, Until: until, SetBy: "관리자", SetAt: kst(2026, 11, 23, 10, 0)}}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Fatalf("Overrides (-want +got):\n%s", diff)
	}
	// Prune drops the expired "*" row; the active one stays.
	if n, err := c.Prune(ctx); err != nil || n != 1 {
		t.Fatalf("Prune: got %d, %v; want 1, nil", n, err)
	}
	rows, err := db.HoursOverrides(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Queue != "general" {
		t.Fatalf("rows after prune: got %+v, want general only", rows)
	}
	if err := c.ClearOverride(ctx, "general"); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Overrides(ctx); err != nil || len(got) != 0 {
		t.Fatalf("Overrides after clear: got %v, %v; want none", got, err)
	}
	checkOpen(t, c, []openCase{{"cleared", "general", kst(2026, 11, 23, 11, 0), true, time.Time{}}})
}

func TestOverrideRejects(t *testing.T) {
	ctx := context.Background()
	now := kst(2026, 11, 23, 10, 0)
	c := control(t, testutil.Store(t), &now, OverrideNone)
	for _, tc := range []struct {
		name  string
		queue string
		mode  Override
		until time.Time
		want  error
	}{
		{"unknown queue", "sales", OverrideOpen, time.Time{}, ErrUnknownQueue},
		{"no mode", "general", OverrideNone, time.Time{}, ErrBadOverride},
		{"bad mode", "general", "maybe", time.Time{}, ErrBadOverride},
		{"until in the past", "general", OverrideClosed, now.Add(-time.Minute), ErrBadOverride},
		{"until now", "general", OverrideClosed, now, ErrBadOverride},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := c.SetOverride(ctx, tc.queue, tc.mode, tc.until, "master"); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	if got, err := c.Overrides(ctx); err != nil || len(got) != 0 {
		t.Fatalf("Overrides after rejects: got %v, %v; want none", got, err)
	}
}

func BenchmarkHoursControlOpen(b *testing.B) {
	h, err := NewHours(officeConfig("kr"), krCalendars(b), OverrideNone)
	if err != nil {
		b.Fatal(err)
	}
	c, err := NewHoursControl(context.Background(), testutil.Store(b), h)
	if err != nil {
		b.Fatal(err)
	}
	c.Now = func() time.Time { return kst(2026, 2, 13, 12, 0) }
	if err := c.SetOverride(context.Background(), "general", OverrideClosed, kst(2026, 2, 13, 18, 0), "master"); err != nil {
		b.Fatal(err)
	}
	at := kst(2026, 2, 13, 12, 30) // closed until 18:00, then 설: next opening 02-19 09:00
	b.ReportAllocs()
	for b.Loop() {
		if open, _ := c.Open("general", at); open {
			b.Fatal("open")
		}
	}
}

// TestClearOverrideOfUnknownQueue: clearing a queue the config does not have
// and no override names is ErrUnknownQueue (a typo would otherwise look
// cleared); clearing a known queue without an override, or an override left
// by a queue a reload removed, is not an error.
func TestClearOverrideOfUnknownQueue(t *testing.T) {
	ctx := context.Background()
	now := kst(2026, 11, 23, 10, 0)
	db := testutil.Store(t)
	c := control(t, db, &now, OverrideNone)
	if err := c.ClearOverride(ctx, "genral"); !errors.Is(err, ErrUnknownQueue) {
		t.Errorf("clear an unknown queue: got %v, want ErrUnknownQueue", err)
	}
	if err := c.ClearOverride(ctx, "general"); err != nil {
		t.Errorf("clear a known queue without an override: got %v, want nil", err)
	}
	if err := c.ClearOverride(ctx, AllQueues); err != nil {
		t.Errorf("clear * without an override: got %v, want nil", err)
	}
	// An override stored for a queue the config no longer has.
	if err := db.SetHoursOverride(ctx, store.HoursOverride{Queue: "gone", Mode: string(OverrideClosed), SetBy: "master", SetAt: now}); err != nil {
		t.Fatal(err)
	}
	if err := c.ClearOverride(ctx, "gone"); err != nil {
		t.Errorf("clear the override of a removed queue: got %v, want nil", err)
	}
}
