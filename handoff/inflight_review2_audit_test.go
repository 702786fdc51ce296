//go:build audit

package handoff

import (
	"context"
	"testing"
)

// TestAuditRouterAckWaitCoversInProgressEvery shows that the router
// consumer's AckWait is not the "default 30 s" inflight.go assumes: with
// BackOff set, NATS makes AckWait BackOff[0] (routerBackOff[0] = 5 s), the
// same as inProgressEvery. An erasure cancel waiting in awaitRequest sends
// its first InProgress 5 s after it started waiting, by which time a message
// that sat in its worker's queue is already past its ack deadline, so it is
// redelivered (and counted toward MaxDeliver) while still being handled; a
// dealer request (Budget 10 s, one InProgress) likewise.
func TestAuditRouterAckWaitCoversInProgressEvery(t *testing.T) {
	f := newRouterFixture(t)
	rt := NewRouter(f.db, f.js, NewSinks(nil, nil, nil), nil, RouterOptions{})
	cons, err := f.js.CreateOrUpdateConsumer(context.Background(), StreamName, rt.ConsumerConfig())
	if err != nil {
		t.Fatal(err)
	}
	got := cons.CachedInfo().Config.AckWait
	if got < 3*inProgressEvery {
		t.Errorf("got consumer AckWait %v, want at least 3×inProgressEvery (%v) so a waiting message is kept", got, 3*inProgressEvery)
	}
}
