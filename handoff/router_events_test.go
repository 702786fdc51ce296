package handoff

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// legacyRouterConfig is the router consumer as earlier versions created it:
// every handoff and ticket subject.
func legacyRouterConfig(rt *Router) jetstream.ConsumerConfig {
	cc := rt.ConsumerConfig()
	cc.FilterSubjects = []string{"baton.handoff.>", "baton.ticket.>"}
	return cc
}

// consumerSettled waits until the router consumer has nothing pending or
// unacknowledged, and fails if anything was redelivered.
func consumerSettled(t *testing.T, f *routerFixture) *jetstream.ConsumerInfo {
	t.Helper()
	var info *jetstream.ConsumerInfo
	checkForT(t, 10*time.Second, func() error {
		c, err := f.js.Consumer(context.Background(), StreamName, RouterName)
		if err != nil {
			return err
		}
		if info, err = c.Info(context.Background()); err != nil {
			return err
		}
		if info.NumPending != 0 || info.NumAckPending != 0 {
			return fmt.Errorf("consumer has %d pending, %d unacknowledged; want 0, 0", info.NumPending, info.NumAckPending)
		}
		return nil
	})
	if info.NumRedelivered != 0 {
		t.Fatalf("consumer redelivered %d messages, want 0", info.NumRedelivered)
	}
	return info
}

// TestRouterConsumerNarrowedToWhatItActsOn: an existing deployment's router
// consumer (filters baton.handoff.> and baton.ticket.>) is narrowed by Run to
// the subjects the router acts on, keeping its position: the accepted and
// ticket events queued before and after are never delivered to it, the
// requests and the ends are, and nothing is redelivered or terminated.
func TestRouterConsumerNarrowedToWhatItActsOn(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	rt := NewRouter(f.db, f.js, nil, nil, RouterOptions{})
	if _, err := f.js.CreateOrUpdateConsumer(context.Background(), StreamName, legacyRouterConfig(rt)); err != nil {
		t.Fatal(err)
	}
	at := time.Now().UTC()
	old := f.escalate(t, "u-old", "notify", at)
	f.end(t, old, at.Add(time.Millisecond))
	for _, ev := range []string{EventAccepted, EventEnded} {
		republish(t, f, SubjectEvent(old.ID, ev), old.ID)
	}
	republish(t, f, SubjectTicket("01TICKET", "closed"), "01TICKET")

	rt = startRouting(t, f, hook, slack, RouterOptions{})
	h := f.escalate(t, "u-new", "notify", at.Add(time.Second))
	republish(t, f, SubjectEvent(h.ID, EventAccepted), h.ID)
	republish(t, f, SubjectEvent(h.ID, EventReturned), h.ID)
	hook.wantCount(t, 1)
	info := consumerSettled(t, f)
	if diff := cmp.Diff(routerSubjects(), info.Config.FilterSubjects); diff != "" {
		t.Fatalf("router filters (-want +got):\n%s", diff)
	}
	// The old request (its handoff ended: nothing sent) and its end, the
	// new one and its return (not ended in the store: nothing to close);
	// no accepted or ticket event reached the router.
	waitHandled(t, rt, 4)
	wantTickets(t, f, map[string]string{})
}

// TestRouterAcksUnactedEventsAtOnce: a router on a consumer that still
// delivers every event (one created by an older version, before Run
// narrows it) acks the events it does not act on at once: no redelivery,
// no Term, no ticket.
func TestRouterAcksUnactedEventsAtOnce(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	rt := NewRouter(f.db, f.js, nil, nil, RouterOptions{})
	ctx := context.Background()
	cons, err := f.js.CreateOrUpdateConsumer(ctx, StreamName, legacyRouterConfig(rt))
	if err != nil {
		t.Fatal(err)
	}
	h := f.escalate(t, "u-legacy", "notify", time.Now().UTC())
	f.end(t, h, time.Now().UTC())
	events := []string{EventAccepted, EventEnded, EventReturned, EventSuperseded, EventExternal}
	for _, ev := range events {
		republish(t, f, SubjectEvent(h.ID, ev), h.ID)
	}
	republish(t, f, SubjectTicket("01TICKET", "answered"), "01TICKET")
	// Fetch, not FetchNoWait: the consumer may not have all seven pending
	// the instant the last publish is acknowledged (a loaded -race run
	// fetched none); Fetch returns once the batch is full.
	batch, err := cons.Fetch(len(events)+1, jetstream.FetchMaxWait(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for msg := range batch.Messages() {
		rt.handle(ctx, msg, func() {})
		n++
	}
	if n != len(events)+1 {
		t.Fatalf("fetched %d messages, want %d", n, len(events)+1)
	}
	consumerSettled(t, f)
	if got := rt.Handled(); got != uint64(n) {
		t.Fatalf("router handled %d, want %d", got, n)
	}
	wantTickets(t, f, map[string]string{})
}

// TestRelayRetryDoesNotDuplicateEvents: lifecycle event rows published by a
// relay that died before marking them are published again on restart and
// stored once (the row's ULID is the Nats-Msg-Id), so a consumer of
// baton.handoff.evt.> sees each transition once.
func TestRelayRetryDoesNotDuplicateEvents(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	at := time.Now().UTC()
	h := f.escalate(t, "u-retry", "notify", at)
	_, conv, _, err := f.db.Load(context.Background(), h.UserKey)
	if err != nil {
		t.Fatal(err)
	}
	conv.State = fsm.StateHuman
	w := &store.TurnWrite{User: store.User{Key: h.UserKey, LastSeen: at}, Conv: conv,
		AcceptHandoff: &store.HandoffAccept{ID: h.ID, At: at.Add(time.Millisecond)},
		Outbox:        []store.OutboxMsg{EventMsg(h.ID, EventAccepted, at.Add(time.Millisecond))}}
	if err := f.db.Commit(context.Background(), w); err != nil {
		t.Fatal(err)
	}
	rows, err := f.db.PendingOutbox(context.Background(), 10)
	if err != nil || len(rows) != 2 {
		t.Fatalf("got %d pending rows (err %v), want 2", len(rows), err)
	}
	// The previous relay published both, then died before marking them.
	for _, r := range rows {
		if _, err := f.js.PublishMsg(context.Background(), &nats.Msg{Subject: r.Subject, Data: r.Payload},
			jetstream.WithMsgID(r.ID)); err != nil {
			t.Fatal(err)
		}
	}
	relay := NewRelay(f.db, f.js, nil)
	runUntilCleanup(t, relay.Run)
	checkForT(t, 10*time.Second, func() error {
		if n := pendingCount(t, f); n != 0 {
			return fmt.Errorf("%d rows pending, want 0", n)
		}
		return nil
	})
	got := streamMsgs(t, f.js) // fails on a Msg-Id stored twice
	want := map[string][2]string{
		rows[0].ID: {SubjectRequest("general"), h.ID},
		rows[1].ID: {SubjectEvent(h.ID, EventAccepted), h.ID},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("stream (-want +got):\n%s", diff)
	}
	if relay.Published() != 2 {
		t.Fatalf("relay published %d rows, want 2 (acked as duplicates)", relay.Published())
	}
}
