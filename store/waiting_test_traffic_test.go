package store

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"
)

// TestWaitingLeavesOutTestTraffic: handoffs made by Kakao's 봇 테스트 or a
// development channel (test = 1) go to the dealer with "test": true, "do
// not route to real agents" (docs/dealer-contract.md), and are kept out of
// metrics (design §2). They are no load on the queue's agents, so:
//
//   - max_waiting (WaitingCount) counts only real handoffs: a tester's
//     session must not make real users hear "대기 인원이 많아요";
//   - the ETA statistics (AcceptStats) take neither a test handoff's wait
//     as a sample (whoever took it, it says nothing of the agents' pace)
//     nor an open test session as a session the agents hold (Serving would
//     divide every real user's ETA).
//
// They used to count in both.
func TestWaitingLeavesOutTestTraffic(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	now := time.Date(2026, 11, 23, 3, 0, 0, 0, time.UTC)
	open := func(key string, created time.Time, test bool) Handoff {
		t.Helper()
		_, c, _, _ := db.Load(ctx, key)
		w := testTurn(key, c.Version, created)
		h := Handoff{ID: NewID(created), Code: "T" + key[len(key)-3:], UserKey: key, Queue: "vip",
			Target: "dealer:x", Test: test, CreatedAt: created}
		w.OpenHandoff = &h
		if err := db.Commit(ctx, w); err != nil {
			t.Fatal(err)
		}
		return h
	}
	accept := func(h Handoff, at time.Time) {
		t.Helper()
		if _, err := db.MarkHandoffAccepted(ctx, h.ID, at); err != nil {
			t.Fatal(err)
		}
	}

	// Real history: three waits of 10 minutes, accepted and ended, and one
	// real session still held.
	for i := range 3 {
		created := now.Add(-time.Duration(3-i) * time.Hour)
		h := open(fmt.Sprintf("u-real-%03d", i), created, false)
		accept(h, created.Add(10*time.Minute))
		if err := db.Write(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE handoffs SET ended_at = ?, end_reason = 'ended' WHERE id = ?`,
				created.Add(20*time.Minute).UnixMilli(), h.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	held := open("u-real-held", now.Add(-30*time.Minute), false)
	accept(held, now.Add(-20*time.Minute))

	// Test traffic: five test handoffs "accepted" a few seconds after they
	// were made and left open, and two test handoffs still waiting.
	for i := range 5 {
		created := now.Add(-time.Duration(10+i) * time.Minute)
		accept(open(fmt.Sprintf("u-test-%03d", i), created, true), created.Add(5*time.Second))
	}
	open("u-test-w01", now.Add(-5*time.Minute), true)
	open("u-test-w02", now.Add(-4*time.Minute), true)

	// One real user waiting.
	open("u-real-w01", now.Add(-time.Minute), false)

	if n, err := db.WaitingCount(ctx, "vip"); err != nil || n != 1 {
		t.Errorf("WaitingCount: got %d, %v; want 1 (the real user; the two test handoffs waiting left out)", n, err)
	}
	st, err := db.AcceptStats(ctx, "vip", now)
	if err != nil {
		t.Fatal(err)
	}
	want := AcceptStats{Samples: 4, Median: 10 * time.Minute, Serving: 1}
	if st != want {
		t.Errorf("AcceptStats: got %+v, want %+v (test handoffs' waits and sessions left out)", st, want)
	}
}
