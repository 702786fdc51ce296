//go:build audit

package handoff

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/nats-io/nats.go/jetstream"
)

// TestAuditRouterPrefetchedMessagesRedeliveredWhileAlive shows a bug of the
// s9-citime merge: the router's heartbeat (inWork, router_inwork.go) covers
// only messages the Consume callback has been handed, but that callback
// blocks while the hashed worker's queue (16) is full. Every message
// nats.go has already pulled into its buffer behind it (up to
// PullMaxMessages(64)) gets no InProgress, so the server redelivers it
// after AckWait although the router is alive and working: NumDelivered
// climbs (skipping the router's Nak schedule, eating MaxDeliver) and the
// buffer ends up holding duplicate copies. docs/design.md claims only a
// router that stopped answering gets a message redelivered.
//
// One worker held by a slow dealer, 16 queued, one more blocked in the
// callback, three more in nats.go's buffer: after 1.5 AckWaits the
// consumer must have redelivered nothing.
func TestAuditRouterPrefetchedMessagesRedeliveredWhileAlive(t *testing.T) {
	const n = 1 + 16 + 1 + 3
	calls := make(chan string, 4*n)
	unblock := make(chan struct{})
	dealer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls <- r.URL.Path
		select {
		case <-unblock:
		case <-r.Context().Done():
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(dealer.Close)
	var once sync.Once
	release := func() { once.Do(func() { close(unblock) }) }
	t.Cleanup(release)
	client := NewDealerClient("slow", configs.Dealer{URL: dealer.URL, Secret: "s"}, "bot", nil)
	client.Attempts, client.AttemptTimeout = 1, 30*time.Second

	f := newRouterFixture(t)
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	const ackWait = time.Second
	startRouting(t, f, hook, slack, RouterOptions{
		Dealers: map[string]DealerTarget{"slow": client}, Workers: 1, AckWait: ackWait,
	})
	at := time.Now().UTC()
	f.escalate(t, "u-pre-0", "dealer:slow", at)
	<-calls // the only worker is now held by the dealer
	for i := 1; i < n; i++ {
		f.escalate(t, fmt.Sprintf("u-pre-%d", i), "dealer:slow", at.Add(time.Duration(i)*time.Millisecond))
	}
	info := func() *jetstream.ConsumerInfo {
		t.Helper()
		c, err := f.js.Consumer(context.Background(), StreamName, RouterName)
		if err != nil {
			t.Fatal(err)
		}
		ci, err := c.Info(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return ci
	}
	checkForT(t, 10*time.Second, func() error {
		if ci := info(); ci.NumAckPending != n {
			return fmt.Errorf("consumer has %d messages delivered and unacknowledged, want %d", ci.NumAckPending, n)
		}
		return nil
	})
	time.Sleep(ackWait * 3 / 2) // the rest wait behind the busy worker
	if ci := info(); ci.NumRedelivered != 0 {
		t.Fatalf("got %d messages redelivered while the router was alive and working, want 0", ci.NumRedelivered)
	}
}
