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

// TestRouterPrefetchedMessagesNotRedeliveredWhileAlive: messages waiting
// behind a worker held by a slow dealer, however many, are kept alive by
// the router's heartbeat. The Consume callback never blocks on a full
// worker queue, so none is left in nats.go's buffer without InProgress to
// be redelivered after AckWait while the router works.
//
// One worker held by a slow dealer, 16 queued, one more that used to be
// blocked in the callback, three more that used to sit in nats.go's
// buffer: after 1.5 AckWaits the consumer must have redelivered nothing.
func TestRouterPrefetchedMessagesNotRedeliveredWhileAlive(t *testing.T) {
	t.Parallel()
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
