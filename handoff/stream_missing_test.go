package handoff

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// TestRelayCreatesAMissingStream: a relay running alone (no router) whose
// publishes find no stream (NATS came back without its store) creates the
// stream, R1 on a single server, and publishes its pending rows.
func TestRelayCreatesAMissingStream(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	ctx := context.Background()
	if err := f.js.DeleteStream(ctx, StreamName); err != nil {
		t.Fatal(err)
	}
	f.escalate(t, "u-nostream", "notify", time.Now().UTC())
	r := NewRelay(f.db, f.js, nil)
	r.Sweep = 50 * time.Millisecond
	runUntilCleanup(t, r.Run)
	checkForT(t, 10*time.Second, func() error {
		if n := pendingCount(t, f); n != 0 {
			return fmt.Errorf("%d rows still pending", n)
		}
		return nil
	})
	if got := streamMsgs(t, f.js); len(got) != 1 {
		t.Errorf("got %d messages in the re-created stream, want 1", len(got))
	}
	s, err := f.js.Stream(ctx, StreamName)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.CachedInfo().Config.Replicas; got != 1 {
		t.Errorf("re-created stream replicas: got %d, want 1", got)
	}
}

// TestRouterCreatesAMissingStream: a router whose consumer finds no stream
// creates it and its consumer.
func TestRouterCreatesAMissingStream(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	ctx := context.Background()
	if err := f.js.DeleteStream(ctx, StreamName); err != nil {
		t.Fatal(err)
	}
	rt := NewRouter(f.db, f.js, nil, nil, RouterOptions{})
	runUntilCleanup(t, rt.Run)
	checkForT(t, 10*time.Second, func() error {
		_, err := f.js.Consumer(ctx, StreamName, RouterName)
		return err
	})
	if _, err := f.js.Stream(ctx, StreamName); err != nil {
		t.Errorf("stream after the router started: got %v, want it created", err)
	}
}
