package store

import (
	"context"
	"testing"
	"time"
)

// TestCSATAnswerChargedToTheNamedHandoff: a CSAT answer goes to the
// handoff its question named, even when the user's latest ended handoff is
// a later one; a second answer for that handoff is ignored; a handoff that
// is not the user's (or none named) is charged nothing.
func TestCSATAnswerChargedToTheNamedHandoff(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 11, 22, 6, 0, 0, 0, time.UTC)
	db, _ := openTestDB(t, Options{Now: func() time.Time { return now }})
	rw := &reportWriter{t: t, db: db, versions: map[string]int64{}}
	at := now.Add(-time.Hour)
	rw.handoff("h-asked", "u-a", "general", at, time.Minute, at.Add(10*time.Minute), "ended")
	rw.handoff("h-later", "u-a", "general", at.Add(20*time.Minute), -1, at.Add(30*time.Minute), "not_connected")
	rw.handoff("h-other", "u-b", "general", at, time.Minute, at.Add(10*time.Minute), "ended")
	answer := func(user, handoff string, score int, at time.Time) {
		t.Helper()
		rw.commit(user, at, "tap", "csat", "event:"+string(rune('0'+score)), func(w *TurnWrite) {
			w.Ops = []Op{CSATAnswerOp(user, handoff, score, CSATFromEvent, false, at)}
		})
	}
	answer("u-a", "h-asked", 4, at.Add(40*time.Minute))
	answer("u-a", "h-asked", 1, at.Add(41*time.Minute)) // the first answer wins
	answer("u-a", "h-other", 2, at.Add(42*time.Minute)) // not u-a's handoff
	answer("u-a", "", 3, at.Add(43*time.Minute))        // a question that named none

	for id, want := range map[string]int{"h-asked": 4, "h-later": 0, "h-other": 0} {
		score, _, ok, err := db.HandoffCSAT(ctx, id)
		if err != nil || score != want || ok != (want != 0) {
			t.Errorf("%s: got score %d (rated %v, %v), want %d", id, score, ok, err, want)
		}
	}
	scores, err := db.CSATScores(ctx)
	if err != nil || scores[4] != 1 || scores[1] != 0 || scores[2] != 1 || scores[3] != 1 {
		t.Errorf("scores: got %v (%v), want one each of 4, 2 and 3 (the 2 and 3 charged to no handoff)", scores, err)
	}
}
