package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"
)

// commitClockTurns commits one turn of key per offset from base, in order,
// with utterances "turn 1", "turn 2", …: offsets that go back are a wall
// clock that stepped back between two turns.
func commitClockTurns(t *testing.T, db *DB, key string, base time.Time, offsets []time.Duration) {
	t.Helper()
	var v int64
	for i, d := range offsets {
		w := testTurn(key, v, base.Add(d))
		w.Turn.Utterance = fmt.Sprintf("turn %d", i+1)
		if err := db.Commit(context.Background(), w); err != nil {
			t.Fatalf("Commit turn %d: %v", i+1, err)
		}
		v = w.Conv.Version
	}
}

// utterances lists the turns' utterances in order.
func utterances(turns []Turn) []string {
	out := make([]string, len(turns))
	for i, tr := range turns {
		out[i] = tr.Utterance
	}
	return out
}

// TestTranscriptPagesShowEveryTurnAfterAClockStep: paging a transcript back
// (GET /admin/conversations/{key}: the first page is RecentTurns, each next
// page TurnsBefore the oldest turn shown) shows every stored turn of the
// user exactly once (docs/admin-api.md: "A transcript's cursor is its oldest
// turn shown: the next page is the user's turns before it"). Both reads
// follow the user's chain, the order the turns were taken: were the first
// page the newest by time, after the wall clock stepped back between two
// turns its oldest turn would not be the chain's n-th newest, and a turn
// after it in the chain but before it in time would be on no page at all.
func TestTranscriptPagesShowEveryTurnAfterAClockStep(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	ats := []time.Duration{0, 2 * time.Second, -5 * time.Second /* clock stepped back */, 3 * time.Second}
	commitClockTurns(t, db, "u-clock", time.Now().Add(-time.Hour), ats)
	seen := map[string]int{}
	first, err := db.RecentTurns(ctx, "u-clock", time.Now(), 2)
	if err != nil || len(first) == 0 {
		t.Fatalf("RecentTurns: %v, %v", first, err)
	}
	if got, want := utterances(first), []string{"turn 3", "turn 4"}; !slices.Equal(got, want) {
		t.Errorf("first page: %v, want %v (the last two taken)", got, want)
	}
	for _, tr := range first {
		seen[tr.Utterance]++
	}
	cursor := first[0] // oldest shown
	for range 10 {
		page, err := db.TurnsBefore(ctx, "u-clock", cursor.ID, 2)
		if err != nil {
			t.Fatalf("TurnsBefore: %v", err)
		}
		if len(page) == 0 {
			break
		}
		for _, tr := range page {
			seen[tr.Utterance]++
		}
		cursor = page[0]
	}
	for i := range ats {
		u := fmt.Sprintf("turn %d", i+1)
		if seen[u] != 1 {
			t.Errorf("%s shown on %d pages, want exactly 1 (pages: %v)", u, seen[u], seen)
		}
	}
}

// TestRecentTurnsBeforeWalksPastLaterTurns: RecentTurns keeps the last n
// turns at or before before in the chain's order, walking past the turns
// after it (taken while a handoff waited, for the handoff's context) to
// find n, and no further.
func TestRecentTurnsBeforeWalksPastLaterTurns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	base := time.Now().Add(-time.Hour)
	ats := []time.Duration{0, 3 * time.Second, -5 * time.Second /* clock stepped back */, 4 * time.Second, 5 * time.Second, 6 * time.Second}
	commitClockTurns(t, db, "u-before", base, ats)
	for _, c := range []struct {
		before time.Duration
		n      int
		want   []string
	}{
		{1 * time.Second, 2, []string{"turn 1", "turn 3"}},
		{1 * time.Second, 1, []string{"turn 3"}},
		{4 * time.Second, 3, []string{"turn 2", "turn 3", "turn 4"}},
		{4 * time.Second, 10, []string{"turn 1", "turn 2", "turn 3", "turn 4"}},
		{time.Hour, 2, []string{"turn 5", "turn 6"}},
		{-time.Hour, 2, []string{}},
	} {
		got, err := db.RecentTurns(ctx, "u-before", base.Add(c.before), c.n)
		if err != nil {
			t.Fatalf("RecentTurns(%v, %d): %v", c.before, c.n, err)
		}
		if !slices.Equal(utterances(got), c.want) {
			t.Errorf("RecentTurns(before %v, %d): %v, want %v", c.before, c.n, utterances(got), c.want)
		}
	}
}
