package store

import (
	"context"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
)

// TestConfirmPendingReasonPersists: the confirm question's pending
// escalation reason (an intake with no step, only a reason) survives the
// cache, the journal replayed on open, and a cold read of the row.
func TestConfirmPendingReasonPersists(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, path := openTestDB(t, Options{})
	w := testTurn("u-pending", 0, time.Now())
	w.Conv.State, w.Conv.Queue = fsm.StateConfirm, "vip"
	w.Conv.Intake = fsm.Intake{Reason: "menu"}
	if err := db.Commit(ctx, w); err != nil {
		t.Fatal(err)
	}
	if _, c, _, err := db.Load(ctx, "u-pending"); err != nil || c.Intake != w.Conv.Intake {
		t.Errorf("Load (cache): got %+v, %v; want %+v", c.Intake, err, w.Conv.Intake)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for _, step := range []string{"reopened", "flushed, cold"} {
		d, err := Open(ctx, path, Options{CacheSize: -1})
		if err != nil {
			t.Fatal(err)
		}
		_, c, _, err := d.Load(ctx, "u-pending")
		if ferr := d.Flush(ctx); ferr != nil {
			t.Fatal(ferr)
		}
		d.Close()
		if err != nil || c.Intake != w.Conv.Intake {
			t.Errorf("Load (%s): got %+v, %v; want %+v", step, c.Intake, err, w.Conv.Intake)
		}
	}
}

// TestDecodeIntakeWithoutPendingReason: a conversation stored before the
// pending reason existed (no intake, or a handoff intake without "reason")
// still decodes, with no reason.
func TestDecodeIntakeWithoutPendingReason(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, stored string
		want         fsm.Intake
	}{
		{"no intake", "", fsm.Intake{}},
		{"ticket intake", `{"step":"contact","message":"m"}`, fsm.Intake{Step: fsm.IntakeContact, Message: "m"}},
		{"pending reason", `{"step":"","reason":"faq_misses"}`, fsm.Intake{Reason: "faq_misses"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := decodeIntake(tt.stored); got != tt.want {
				t.Errorf("decodeIntake(%q): got %+v, want %+v", tt.stored, got, tt.want)
			}
			if got := encodeIntake(tt.want); got != tt.stored && tt.name != "ticket intake" {
				t.Errorf("encodeIntake(%+v): got %q, want %q", tt.want, got, tt.stored)
			}
		})
	}
}
