package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// BenchmarkRecentTurns reads a handoff's transcript (the last 10 turns) of
// one of 5,000 users with 6 turns each, interleaved as live traffic writes them.
func BenchmarkRecentTurns(b *testing.B) {
	ctx := context.Background()
	db, _ := openTestDB(b, Options{})
	const users, turns = 5000, 6
	at := time.Now().Add(-time.Hour)
	var wg sync.WaitGroup
	for g := range 64 {
		wg.Go(func() {
			versions := map[int]int64{}
			for i := range turns {
				for u := g; u < users; u += 64 {
					w := testTurn(fmt.Sprintf("u-%d", u), versions[u], at.Add(time.Duration(i)*time.Second))
					if err := db.Commit(ctx, w); err != nil {
						b.Error(err)
						return
					}
					versions[u] = w.Conv.Version
				}
			}
		})
	}
	wg.Wait()
	b.ResetTimer()
	for i := range b.N {
		got, err := db.RecentTurns(ctx, fmt.Sprintf("u-%d", i%users), time.Now(), 10)
		if err != nil || len(got) != turns {
			b.Fatalf("RecentTurns: %d turns, %v, want %d", len(got), err, turns)
		}
	}
}
