package store

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
)

// BenchmarkCacheMark times a full collection of a heap holding a cache of
// 100,000 users as a shop's traffic leaves them (a user key of Kakao's
// length, a bot id, a menu path), the collector's work that every
// collection of a long-running server repeats. It reports the live heap.
func BenchmarkCacheMark(b *testing.B) {
	const users = 100_000
	c := newConvCache(users)
	now := time.Now()
	for i := range users {
		key := fmt.Sprintf("%064x", i)
		u := User{Key: key, BotID: fmt.Sprint("5f", 1e9), PlusfriendKey: fmt.Sprint("pf", i), IsFriend: true,
			FirstSeen: now, LastSeen: now}
		conv := fsm.Conversation{UserKey: key, State: fsm.State("bot"), MenuPath: []string{"main", "order"},
			StateSince: now, LastTurnAt: now, ConfigVersion: "v1", Version: 3}
		c.putEntry(key, entry{user: u, conv: conv, lastTurn: int64(i)})
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	for b.Loop() {
		runtime.GC()
	}
	b.ReportMetric(float64(ms.HeapAlloc)/1e6, "live-MB")
	runtime.KeepAlive(c)
}
