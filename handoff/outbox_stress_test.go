package handoff

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// TestRelayPublishesEveryHandedRowUnderReads: turns commit escalations from
// several goroutines and hand their rows to Committed at once, late (after
// reads of the outbox ran), or twice, while Wake asks for reads and the
// relay's small batch makes reads hit their limit. With no sweep to fall
// back on, every committed row is published, and each once, also the
// rows handed after the last read.
func TestRelayPublishesEveryHandedRowUnderReads(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	r := NewRelay(f.db, f.js, nil)
	r.Sweep = time.Hour // no safety net: a row skipped wrongly stays pending
	r.Batch = 3
	r.MarkDelay = time.Millisecond
	runUntilCleanup(t, r.Run)

	const writers, each = 4, 15
	var wg sync.WaitGroup
	stopWaking := make(chan struct{})
	go func() {
		for {
			select {
			case <-stopWaking:
				return
			case <-time.After(time.Duration(rand.IntN(3)) * time.Millisecond):
				r.Wake()
			}
		}
	}()
	for g := range writers {
		wg.Go(func() {
			rnd := rand.New(rand.NewPCG(uint64(g), 1))
			for i := range each {
				rows := commitEscalation(t, f.db, fmt.Sprintf("u-stress-%d-%d", g, i))
				if rows == nil {
					return
				}
				switch rnd.IntN(4) {
				case 0:
					r.Committed(rows)
				case 1: // the turn's goroutine waits to be scheduled: reads run first
					lag := time.Duration(rnd.IntN(5)) * time.Millisecond
					go func() {
						time.Sleep(lag)
						r.Committed(rows)
					}()
				case 2:
					r.Committed(rows)
					r.Committed(rows)
				case 3:
					r.Wake()
					r.Committed(rows)
				}
			}
		})
	}
	wg.Wait()
	close(stopWaking)
	published := func() error {
		if n := pendingCount(t, f); n != 0 {
			return fmt.Errorf("%d committed rows never published", n)
		}
		return nil
	}
	checkForT(t, 10*time.Second, published)
	// The last rows are only handed over, after the reads: none reads them.
	for i := range 3 {
		r.Committed(commitEscalation(t, f.db, fmt.Sprintf("u-stress-last-%d", i)))
	}
	checkForT(t, 10*time.Second, published)
	if got := len(streamMsgs(t, f.js)); got != writers*each+3 {
		t.Errorf("got %d messages in the stream, want %d", got, writers*each+3)
	}
}

// commitEscalation commits an escalation turn for user and returns its
// outbox rows as Commit numbered them.
func commitEscalation(t *testing.T, db *store.DB, user string) []store.OutboxMsg {
	at := time.Now().UTC()
	id := store.NewID(at)
	h := store.Handoff{ID: id, Code: Effects{}.NewCode(), UserKey: user, BotID: "bot-1", Queue: "general",
		Target: "notify", Reason: "keyword", CreatedAt: at}
	w := &store.TurnWrite{
		User:        store.User{Key: user, LastSeen: at},
		Conv:        fsm.Conversation{UserKey: user, State: fsm.StateWaiting, HandoffID: id, Queue: "general", StateSince: at},
		Turn:        store.Turn{ID: store.NewID(at), UserKey: user, At: at, Block: "text", Kind: "handoff", State: fsm.StateWaiting},
		OpenHandoff: &h,
		Outbox:      []store.OutboxMsg{{ID: store.NewID(at), Subject: SubjectRequest("general"), Payload: []byte(id), CreatedAt: at}},
	}
	if err := db.Commit(context.Background(), w); err != nil {
		t.Errorf("commit escalation: %v", err)
		return nil
	}
	return w.Outbox
}
