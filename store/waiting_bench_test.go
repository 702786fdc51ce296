package store

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkAcceptStats reads a queue's acceptance statistics (every status
// turn in a dealer queue) with a day of history: 400 accepted handoffs, 50
// of them still held by a human, and 100 waiting; and, on the same data,
// one handoff (every waiting turn) and the queue's waiting count.
func BenchmarkAcceptStats(b *testing.B) {
	ctx := context.Background()
	db, _ := openTestDB(b, Options{})
	now := time.Date(2026, 2, 16, 10, 0, 0, 0, time.UTC)
	var waitingID string
	for i := range 500 {
		key := fmt.Sprintf("u-%d", i)
		at := now.Add(-time.Duration(i) * time.Minute)
		w := testTurn(key, 0, at)
		h := &Handoff{ID: NewID(at), Code: "C0DE", Queue: "vip", Target: "dealer:x", CreatedAt: at}
		w.OpenHandoff = h
		if i == 7 {
			waitingID = h.ID
		}
		if i >= 100 {
			h.AcceptedAt = at.Add(3 * time.Minute)
			if i >= 150 {
				h.EndedAt = at.Add(10 * time.Minute)
			}
		}
		if err := db.Commit(ctx, w); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("AcceptStats", func(b *testing.B) {
		for b.Loop() {
			if _, err := db.AcceptStats(ctx, "vip", now); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Handoff", func(b *testing.B) {
		for b.Loop() {
			if _, ok, err := db.Handoff(ctx, waitingID); err != nil || !ok {
				b.Fatal(ok, err)
			}
		}
	})
	b.Run("WaitingCount", func(b *testing.B) {
		for b.Loop() {
			if _, err := db.WaitingCount(ctx, "vip"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
