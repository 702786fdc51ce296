package store

import (
	"context"
	"testing"
	"time"
)

// TestLogAccessesOnce: an entry whose token, action, subject and ticket
// already have a row within the window is skipped; another token, another
// ticket, another action or a row older than the window writes a new one.
func TestLogAccessesOnce(t *testing.T) {
	t.Parallel()
	db, _ := openTestDB(t, Options{})
	ctx := context.Background()
	at := time.UnixMilli(1_790_000_000_000).UTC()
	read := func(tok, subject, ticket string, at time.Time) AccessEntry {
		return AccessEntry{At: at, TokenID: tok, Role: RoleManager, Action: AccessReadTicket, Subject: subject, TicketID: ticket}
	}
	if err := db.LogAccess(ctx, read("tok", "s1", "t1", at)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		e    AccessEntry
		want int
	}{
		{"same read within the window", read("tok", "s1", "t1", at.Add(59*time.Minute)), 0},
		{"same read at the window's edge", read("tok", "s1", "t1", at.Add(time.Hour)), 0},
		{"same read after the window", read("tok", "s1", "t1", at.Add(time.Hour+time.Millisecond)), 1},
		{"another token", read("tok2", "s1", "t1", at.Add(time.Minute)), 1},
		{"another ticket", read("tok", "s1", "t2", at.Add(time.Minute)), 1},
		{"another action", AccessEntry{At: at.Add(time.Minute), TokenID: "tok", Role: RoleManager,
			Action: AccessReadContact, Subject: "s1", TicketID: "t1"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := db.LogAccessesOnce(ctx, []AccessEntry{tc.e}, time.Hour)
			if err != nil {
				t.Fatalf("LogAccessesOnce: %v", err)
			}
			if got != tc.want {
				t.Errorf("got %d rows written, want %d", got, tc.want)
			}
		})
	}
	// A list that names one ticket twice logs it once.
	e := read("tok3", "s9", "t9", at)
	if got, err := db.LogAccessesOnce(ctx, []AccessEntry{e, e}, time.Hour); err != nil || got != 1 {
		t.Errorf("got %d rows written (err %v) for a repeated entry, want 1", got, err)
	}
	rows, err := db.AccessLog(ctx, AccessFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(rows), 6; got != want {
		t.Errorf("got %d access_log rows, want %d", got, want)
	}
}
