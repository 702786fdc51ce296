package store

import (
	"context"
	"testing"
	"time"
)

// TestDealerSessionEnds: the latest end a dealer reported per user is kept
// (a late report of an older end moves nothing back), read within a window
// of its receipt, pruned by that time, recorded for known users only, and
// erased with the user.
func TestDealerSessionEnds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	at := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	for _, key := range []string{"u1", "u2"} {
		if err := db.Commit(ctx, testTurn(key, 0, at)); err != nil {
			t.Fatal(err)
		}
	}
	end := func(dealer, key string, since time.Time) (time.Time, bool) {
		t.Helper()
		got, ok, err := db.DealerSessionEnd(ctx, dealer, key, since)
		if err != nil {
			t.Fatal(err)
		}
		return got, ok
	}
	if err := db.RecordDealerSessionEnd(ctx, "happytalk", "u1", at, at.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	// A late report of an earlier end: the later one stays.
	if err := db.RecordDealerSessionEnd(ctx, "happytalk", "u1", at.Add(-time.Hour), at.Add(2*time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := db.RecordDealerSessionEnd(ctx, "happytalk", "nobody", at, at); err != nil {
		t.Fatalf("an unknown user: %v, want no error (nothing recorded)", err)
	}
	if err := db.RecordDealerSessionEnd(ctx, "other", "u2", at.Add(time.Minute), at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got, ok := end("happytalk", "u1", at); !ok || !got.Equal(at) {
		t.Errorf("u1's end: got %v %v, want %v (the later end kept)", got, ok, at)
	}
	if _, ok := end("happytalk", "u1", at.Add(3*time.Second)); ok {
		t.Error("u1's end read with a window starting after its last receipt: found, want none")
	}
	if _, ok := end("happytalk", "u2", at.Add(-time.Hour)); ok {
		t.Error("u2's end at dealer happytalk: found, want none (another dealer's)")
	}
	if _, ok := end("happytalk", "nobody", at.Add(-time.Hour)); ok {
		t.Error("an unknown user's end was recorded")
	}

	n, err := db.PruneDealerSessionEnds(ctx, at.Add(30*time.Second))
	if err != nil || n != 1 {
		t.Fatalf("prune: %d, %v; want 1 (u1's end, received before the cut-off)", n, err)
	}
	if _, ok := end("other", "u2", at.Add(-time.Hour)); !ok {
		t.Fatal("prune removed u2's end, received after the cut-off")
	}
	e, err := db.EraseUser(ctx, "u2")
	if err != nil {
		t.Fatal(err)
	}
	if got := e.Rows["dealer_session_ends"]; got != 1 {
		t.Errorf("erase u2: %d dealer_session_ends rows deleted, want 1", got)
	}
	if _, ok := end("other", "u2", at.Add(-time.Hour)); ok {
		t.Error("u2's end survived the erasure")
	}
}
