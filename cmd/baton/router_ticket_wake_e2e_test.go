package main

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
	"github.com/nats-io/nats.go/jetstream"
)

// TestRouterTicketLeavesAtOnce: a ticket the router opens itself (here
// no_sink: a notify queue and no notify sink configured) queues its
// ticket.opened row, and the router wakes the relay, so the row reaches
// the stream well inside the relay's sweep (a minute here) instead of
// waiting for it.
func TestRouterTicketLeavesAtOnce(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: mondayMorning}
	m := startBatonLogging(t, exampleConfig, t.TempDir(), clock, slog.New(slog.DiscardHandler),
		func(m *Main) { m.RelaySweep = time.Minute })
	s := newSession(t, m, clock, "u-router-ticket")
	s.welcome()
	s.say("상담원")
	s.tap("네, 연결해 주세요")
	s.wantState(fsm.StateWaiting)

	ctx := context.Background()
	var tk store.Ticket
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		ts, err := m.DB.ListTickets(ctx, store.TicketFilter{Limit: 10})
		if err != nil {
			return err
		}
		if len(ts) != 1 || ts[0].Reason != "no_sink" {
			return fmt.Errorf("got tickets %+v, want one no_sink ticket", ts)
		}
		tk = ts[0]
		return nil
	})

	js, err := jetstream.New(m.NC)
	if err != nil {
		t.Fatal(err)
	}
	subject := handoff.SubjectTicket(tk.ID, handoff.TicketOpened)
	cons, err := js.OrderedConsumer(ctx, handoff.StreamName, jetstream.OrderedConsumerConfig{FilterSubjects: []string{subject}})
	if err != nil {
		t.Fatal(err)
	}
	got := 0
	testutil.CheckFor(t, 3*time.Second, 10*time.Millisecond, func() error {
		batch, err := cons.FetchNoWait(10)
		if err != nil {
			return err
		}
		for range batch.Messages() {
			got++
		}
		if err := batch.Error(); err != nil {
			return err
		}
		if got == 0 {
			return fmt.Errorf("no %s on the stream yet", subject)
		}
		return nil
	})
}
