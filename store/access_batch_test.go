package store

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestLogAccesses: a batch lands whole, in order, and an empty one writes
// nothing.
func TestLogAccesses(t *testing.T) {
	t.Parallel()
	db, _ := openTestDB(t, Options{})
	ctx := context.Background()
	if err := db.LogAccesses(ctx, nil); err != nil {
		t.Fatalf("LogAccesses(nil): got %v, want nil", err)
	}
	at := time.UnixMilli(1_790_000_000_000).UTC()
	in := []AccessEntry{
		{At: at, TokenID: "tok", Role: RoleManager, Action: AccessReadTicket, Subject: "s1", TicketID: "t1"},
		{At: at, TokenID: "tok", Role: RoleManager, Action: AccessReadTicket, Subject: "s2", TicketID: "t2"},
	}
	if err := db.LogAccesses(ctx, in); err != nil {
		t.Fatalf("LogAccesses: %v", err)
	}
	got, err := db.AccessLog(ctx, AccessFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(in) {
		t.Fatalf("got %d rows, want %d", len(got), len(in))
	}
	for i := range got { // newest first
		got[i].ID = 0
	}
	want := []AccessEntry{in[1], in[0]}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("access log (-want +got):\n%s", diff)
	}
}
