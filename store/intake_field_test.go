package store

import (
	"context"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
)

// TestHandoffIntakeStatePersists: a handoff intake in progress (confirm)
// survives the cache and a cold read, every field of it, and holds no
// answer.
func TestHandoffIntakeStatePersists(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, path := openTestDB(t, Options{})
	w := testTurn("u-f", 0, time.Now())
	w.Conv.State, w.Conv.Queue = fsm.StateConfirm, "vip"
	w.Conv.Intake = fsm.Intake{Step: fsm.IntakeField, HandoffID: "01RESERVED", Field: "buyer", Retried: true, Reason: "menu", Passed: "order note"}
	if err := db.Commit(ctx, w); err != nil {
		t.Fatal(err)
	}
	if err := db.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{0, -1} {
		d := db
		if size < 0 {
			var err error
			if d, err = Open(ctx, path, Options{CacheSize: size}); err != nil {
				t.Fatal(err)
			}
		}
		_, c, _, err := d.Load(ctx, "u-f")
		if size < 0 {
			d.Close()
		}
		if err != nil || c.Intake != w.Conv.Intake {
			t.Errorf("Load (cache %d): got %+v, %v; want %+v", size, c.Intake, err, w.Conv.Intake)
		}
	}
}
