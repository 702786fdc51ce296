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

// TestRouterConsumerAckWaitWithoutBackOff pins the consumer settings the
// Nak delays rely on: AckWait from the options (DefaultAckWait by
// default) and no BackOff, also on a consumer an earlier version created
// with one. With a BackOff, nats-server counts a Nak's delay from the
// delivery's BackOff entry instead of AckWait, and every retry after the
// first waits 5 s, 15 s … longer than asked (see ConsumerConfig).
func TestRouterConsumerAckWaitWithoutBackOff(t *testing.T) {
	f := newRouterFixture(t)
	ctx := context.Background()
	old := NewRouter(f.db, f.js, nil, nil, RouterOptions{}).ConsumerConfig()
	old.BackOff = routerBackOff
	if _, err := f.js.CreateOrUpdateConsumer(ctx, StreamName, old); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		ackWait time.Duration
		want    time.Duration
	}{
		{"default", 0, DefaultAckWait},
		{"set", 2 * time.Second, 2 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rt := NewRouter(f.db, f.js, nil, nil, RouterOptions{AckWait: tc.ackWait})
			cons, err := f.js.CreateOrUpdateConsumer(ctx, StreamName, rt.ConsumerConfig())
			if err != nil {
				t.Fatal(err)
			}
			got := cons.CachedInfo().Config
			if got.AckWait != tc.want || len(got.BackOff) != 0 {
				t.Errorf("got AckWait %v, BackOff %v; want %v and none", got.AckWait, got.BackOff, tc.want)
			}
		})
	}
}

// TestSlowInWorkKeepsAMessageUntilReleased: a message held past its AckWait
// while in work is not redelivered, and once released it is (the consumer
// below has a 1 s AckWait; the set says InProgress every 300 ms).
func TestSlowInWorkKeepsAMessageUntilReleased(t *testing.T) {
	if testing.Short() {
		t.Skip("holds a message past its ack deadline (3 s)")
	}
	f := newRouterFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	subject := SubjectRequest("heartbeat")
	cons, err := f.js.CreateOrUpdateConsumer(ctx, StreamName, jetstream.ConsumerConfig{
		Durable:       "heartbeat-test",
		FilterSubject: subject,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       time.Second,
		MaxDeliver:    3,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.js.Publish(ctx, subject, []byte("h1")); err != nil {
		t.Fatal(err)
	}
	batch, err := cons.Fetch(1, jetstream.FetchMaxWait(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	msg, ok := <-batch.Messages()
	if !ok {
		t.Fatalf("no message fetched: %v", batch.Error())
	}
	work := newInWork()
	var wg sync.WaitGroup
	wg.Go(func() { work.keep(ctx, 300*time.Millisecond) })
	t.Cleanup(func() { cancel(); wg.Wait() })
	release := work.add(msg)
	time.Sleep(2 * time.Second) // two AckWaits: the heartbeat must hold it
	again, err := cons.Fetch(1, jetstream.FetchMaxWait(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	for m := range again.Messages() {
		md, _ := m.Metadata()
		t.Errorf("message %q redelivered while in work (delivery %d)", m.Data(), md.NumDelivered)
	}
	release()
	if n := work.len(); n != 0 {
		t.Errorf("got %d messages in work after release, want 0", n)
	}
	again, err = cons.Fetch(1, jetstream.FetchMaxWait(3*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	m, ok := <-again.Messages()
	if !ok {
		t.Fatalf("released message not redelivered after its AckWait: %v", again.Error())
	}
	if md, _ := m.Metadata(); md == nil || md.NumDelivered != 2 {
		t.Errorf("got redelivery metadata %+v, want delivery 2", md)
	}
}

// TestRouterKeepsAQueuedMessageInWork: a message waiting for a worker that
// a slow dealer holds is kept alive from the moment it is received, so it
// is delivered once however long it waits (here 1.5 AckWaits).
func TestRouterKeepsAQueuedMessageInWork(t *testing.T) {
	t.Parallel()
	calls := make(chan string, 4)
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
	rt := startRouting(t, f, hook, slack, RouterOptions{
		Dealers: map[string]DealerTarget{"slow": client}, Workers: 1, AckWait: ackWait,
	})
	at := time.Now().UTC()
	f.escalate(t, "u-slow-1", "dealer:slow", at)
	<-calls // the only worker is now held by the dealer
	f.escalate(t, "u-slow-2", "dealer:slow", at.Add(time.Millisecond))
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
		if ci := info(); ci.NumAckPending != 2 {
			return fmt.Errorf("consumer has %d messages delivered and unacknowledged, want 2", ci.NumAckPending)
		}
		return nil
	})
	time.Sleep(ackWait * 3 / 2) // the second message waits in the queue
	if ci := info(); ci.NumRedelivered != 0 {
		t.Fatalf("consumer redelivered %d messages while the worker was busy, want 0", ci.NumRedelivered)
	}
	release()
	waitHandled(t, rt, 2)
	consumerSettled(t, f)
	if n := len(calls); n != 1 {
		t.Errorf("dealer got %d more requests, want 1 (the queued handoff, once)", n)
	}
}
