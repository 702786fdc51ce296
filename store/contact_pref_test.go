package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
)

// TestContactPrefPersists: the contact preference heard during an intake
// (fsm.Intake.Pref) survives the cache, the journal replayed on open and a
// cold read of the row; a handoff and a ticket opened with one read it back
// (migration 00020), and those opened without one read "".
func TestContactPrefPersists(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, path := openTestDB(t, Options{})
	now := time.Now()
	w := testTurn("u-pref", 0, now)
	w.Conv.State, w.Conv.Queue = fsm.StateConfirm, "vip"
	w.Conv.Intake = fsm.Intake{Step: fsm.IntakeField, HandoffID: "h-res", Field: "phone", Retried: true,
		Reason: "menu", Pref: fsm.ContactPrefSMS}
	if err := db.Commit(ctx, w); err != nil {
		t.Fatal(err)
	}
	if _, c, _, err := db.Load(ctx, "u-pref"); err != nil || c.Intake != w.Conv.Intake {
		t.Errorf("Load (cache): got %+v, %v; want %+v", c.Intake, err, w.Conv.Intake)
	}

	h := testTurn("u-sms", 0, now)
	h.Conv.State = fsm.StateWaiting
	h.OpenHandoff = &Handoff{ID: NewID(now), Code: "SMS1", Queue: "vip", Target: "notify", Reason: "menu",
		CreatedAt: now, ContactPref: fsm.ContactPrefSMS}
	h.Ops = append(h.Ops, OpenTicketOp(&Ticket{ID: "t-sms", UserKey: "u-sms", Queue: "vip", Code: "T1",
		Message: "환불 문의", ContactPref: fsm.ContactPrefSMS, CreatedAt: now}))
	if err := db.Commit(ctx, h); err != nil {
		t.Fatal(err)
	}
	none := testTurn("u-none", 0, now)
	none.Conv.State = fsm.StateWaiting
	none.OpenHandoff = &Handoff{ID: NewID(now.Add(time.Millisecond)), Code: "NON1", Queue: "vip", Target: "notify",
		Reason: "menu", CreatedAt: now}
	none.Ops = append(none.Ops, OpenTicketOp(&Ticket{ID: "t-none", UserKey: "u-none", Queue: "vip", Code: "T2",
		Message: "문의", CreatedAt: now}))
	if err := db.Commit(ctx, none); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ handoff, ticket, want string }{
		{h.OpenHandoff.ID, "t-sms", fsm.ContactPrefSMS},
		{none.OpenHandoff.ID, "t-none", ""},
	} {
		got, ok, err := db.Handoff(ctx, tc.handoff)
		if err != nil || !ok || got.ContactPref != tc.want {
			t.Errorf("Handoff %s: got contact preference %q (found %v, %v), want %q", tc.handoff, got.ContactPref, ok, err, tc.want)
		}
		list, err := db.ListHandoffs(ctx, HandoffFilter{Code: got.Code, Limit: 10})
		if err != nil || len(list) != 1 || list[0].ContactPref != tc.want {
			t.Errorf("ListHandoffs %s: got %+v, %v; want contact preference %q", got.Code, list, err, tc.want)
		}
		tk, ok, err := db.TicketByID(ctx, tc.ticket)
		if err != nil || !ok || tk.ContactPref != tc.want {
			t.Errorf("TicketByID %s: got contact preference %q (found %v, %v), want %q", tc.ticket, tk.ContactPref, ok, err, tc.want)
		}
	}

	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for _, step := range []string{"reopened", "flushed, cold"} {
		d, err := Open(ctx, path, Options{CacheSize: -1})
		if err != nil {
			t.Fatal(err)
		}
		_, c, _, err := d.Load(ctx, "u-pref")
		if ferr := d.Flush(ctx); ferr != nil {
			t.Fatal(ferr)
		}
		d.Close()
		if err != nil || c.Intake != w.Conv.Intake {
			t.Errorf("Load (%s): got %+v, %v; want %+v", step, c.Intake, err, w.Conv.Intake)
		}
	}
}

// TestContactPrefSurvivesACrashJournal: the preference an intake holds
// until its handoff opens is in the conversation journal a crash leaves
// behind (the rows are not written yet), and the replay at open restores it.
func TestContactPrefSurvivesACrashJournal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, path := openTestDB(t, Options{FlushAge: time.Hour})
	at := time.Now()
	w := testTurn("u-pref-crash", 0, at)
	w.Conv.State, w.Conv.Queue = fsm.StateConfirm, "vip"
	w.Conv.Intake = fsm.Intake{Step: fsm.IntakeField, HandoffID: "h-crash", Field: "phone", Reason: "menu",
		Pref: fsm.ContactPrefChat}
	if err := db.Commit(ctx, w); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, db, "conv_journal", "user_key = 'u-pref-crash'"); n == 0 {
		t.Fatal("no journal rows: the crash image would not test the replay")
	}
	crash := filepath.Join(t.TempDir(), "baton.db")
	for _, suffix := range []string{"", "-wal"} {
		copyFile(t, path+suffix, crash+suffix)
	}
	db2, err := Open(ctx, crash, Options{CacheSize: -1})
	if err != nil {
		t.Fatalf("Open the crash image: %v", err)
	}
	defer db2.Close()
	if _, c, _, err := db2.Load(ctx, "u-pref-crash"); err != nil || c.Intake != w.Conv.Intake {
		t.Errorf("Load after the crash: got %+v, %v; want %+v", c.Intake, err, w.Conv.Intake)
	}
}
