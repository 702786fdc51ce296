package handoff

import (
	"context"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/testutil"
)

// TestOverrideNextOpeningInQueueZone checks that a "closed until T"
// override whose T was given in UTC (as an admin client may send it, and as
// the store gives it back after a restart) reports the next opening in the
// queue's time zone, whose wall clock the engine reads out ("오전 9시"),
// whether T falls inside a window or the hours' next opening follows it.
func TestOverrideNextOpeningInQueueZone(t *testing.T) {
	ctx := context.Background()
	now := kst(2026, 11, 23, 10, 0) // Monday, office hours
	db := testutil.Store(t)
	c := control(t, db, &now, OverrideNone)
	for _, tc := range []struct {
		name     string
		until    time.Time
		wantNext time.Time
	}{
		{"until inside a window", kst(2026, 11, 24, 9, 0).UTC(), kst(2026, 11, 24, 9, 0)},
		{"until in the lunch hour", kst(2026, 11, 23, 12, 30).UTC(), kst(2026, 11, 23, 13, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := c.SetOverride(ctx, "general", OverrideClosed, tc.until, "manager"); err != nil {
				t.Fatal(err)
			}
			restarted := control(t, db, &now, OverrideNone) // Until read back from the store
			for _, hc := range []*HoursControl{c, restarted} {
				_, next := hc.Open("general", kst(2026, 11, 23, 10, 30))
				if !next.Equal(tc.wantNext) {
					t.Fatalf("got next opening %v, want %v", next, tc.wantNext)
				}
				if got, want := next.Format("15:04 -0700"), tc.wantNext.Format("15:04 -0700"); got != want {
					t.Errorf("got next opening at %s on the wall clock, want %s (the queue's zone)", got, want)
				}
			}
		})
	}
}
