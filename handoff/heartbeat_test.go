package handoff

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// TestRouterAckWaitIsTheFirstBackOff pins what ackHeartbeat is sized for:
// with BackOff set, nats-server makes the consumer's AckWait its first
// entry, far below a dealer call's budget.
func TestRouterAckWaitIsTheFirstBackOff(t *testing.T) {
	f := newRouterFixture(t)
	rt := NewRouter(f.db, f.js, NewSinks(nil, nil, nil), nil, RouterOptions{})
	cons, err := f.js.CreateOrUpdateConsumer(context.Background(), StreamName, rt.ConsumerConfig())
	if err != nil {
		t.Fatal(err)
	}
	got := cons.CachedInfo().Config.AckWait
	if got != routerBackOff[0] {
		t.Errorf("got consumer AckWait %v, want routerBackOff[0] %v", got, routerBackOff[0])
	}
	if got < 3*ackHeartbeat {
		t.Errorf("got AckWait %v, want at least 3×ackHeartbeat (%v): a message in work would be redelivered", got, 3*ackHeartbeat)
	}
}

// TestHeartbeatKeepsAMessageInWork: a message held past its AckWait while
// heartbeat runs is not redelivered (without it, it is: the consumer below
// has a 2 s AckWait, and a fetch 4 s on gets the message again).
func TestHeartbeatKeepsAMessageInWork(t *testing.T) {
	if testing.Short() {
		t.Skip("holds a message past its ack deadline (5 s)")
	}
	f := newRouterFixture(t)
	ctx := context.Background()
	subject := SubjectRequest("heartbeat")
	cons, err := f.js.CreateOrUpdateConsumer(ctx, StreamName, jetstream.ConsumerConfig{
		Durable:       "heartbeat-test",
		FilterSubject: subject,
		AckPolicy:     jetstream.AckExplicitPolicy,
		BackOff:       []time.Duration{2 * time.Second, 2 * time.Second},
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
	stop := heartbeat(msg)
	defer stop()
	time.Sleep(4 * time.Second) // two AckWaits: the heartbeat must hold it
	again, err := cons.Fetch(1, jetstream.FetchMaxWait(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	for m := range again.Messages() {
		md, _ := m.Metadata()
		t.Errorf("message %q redelivered while in work (delivery %d)", m.Data(), md.NumDelivered)
	}
	if err := msg.Ack(); err != nil {
		t.Fatal(err)
	}
}
