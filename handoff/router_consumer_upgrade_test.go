package handoff

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"
)

// TestRouterLiftsAnOlderConsumersMaxDeliver: a router consumer created by
// an older Baton, with a finite MaxDeliver, is updated to an unlimited one
// when the router starts, so that a message whose last delivery's ticket
// the store refused still comes back for it.
func TestRouterLiftsAnOlderConsumersMaxDeliver(t *testing.T) {
	t.Parallel()
	var failed atomic.Int32
	f := newRouterFixtureWith(t, failFirstTicket(&failed))
	opts := RouterOptions{MaxDeliver: 1, RetryDelay: 20 * time.Millisecond}
	old := NewRouter(f.db, f.js, nil, nil, opts).ConsumerConfig()
	old.MaxDeliver = 1 // as Baton set it before the router kept its own bound
	ctx := context.Background()
	if _, err := f.js.CreateConsumer(ctx, StreamName, old); err != nil {
		t.Fatal(err)
	}

	rt := NewRouter(f.db, f.js, nil, nil, opts)
	runUntilCleanup(t, rt.Run)
	republish(t, f, SubjectRequest("general"), "not an id")
	checkForT(t, 5*time.Second, func() error {
		if got := ticketsOf(t, f, ""); len(got) != 1 || got[0] != ticketRouterPoison {
			return fmt.Errorf("got tickets %v, want one %s ticket after the refused one", got, ticketRouterPoison)
		}
		return nil
	})
	if failed.Load() == 0 {
		t.Fatal("the store refused no ticket")
	}
	cons, err := f.js.Consumer(ctx, StreamName, RouterName)
	if err != nil {
		t.Fatal(err)
	}
	if got := cons.CachedInfo().Config.MaxDeliver; got != -1 {
		t.Errorf("router consumer MaxDeliver: got %d, want -1", got)
	}
}
