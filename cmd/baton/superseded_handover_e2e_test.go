package main

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testutil"
)

// TestSupersededEventLeavesWithTheTurn: a user in a dealer session Baton
// did not open (an external handoff) asks the bot for a human; the
// external handoff's superseded event reaches the stream with the turn's
// own messages, handed to the relay after the commit, not on the relay's
// sweep (a minute here), and it is published and counted once.
func TestSupersededEventLeavesWithTheTurn(t *testing.T) {
	t.Parallel()
	dealer := newSinkRecorder(t)
	env := testEnv{}
	env["BATON_DEALER_URL"] = dealer.srv.URL + "/baton"
	env["BATON_DEALER_SECRET"] = e2eDealerSecret
	clock := &testClock{t: mondayMorning}
	m := startBatonLogging(t, exampleConfig, t.TempDir(), clock, slog.New(slog.DiscardHandler),
		func(m *Main) { m.RelaySweep = time.Minute }, env.configure)
	s := newSession(t, m, clock, "u-superseded")
	s.welcome()
	externalStart(t, m, e2eDealerSecret, s.user, "ev-superseded-start")
	ctx := context.Background()
	ext, ok, err := m.DB.OpenHandoff(ctx, s.user)
	if err != nil || !ok || ext.Reason != "external" {
		t.Fatalf("open handoff %+v %v (err %v), want an external one", ext, ok, err)
	}

	// The external handoff's own events went out on the dealer events'
	// wake: the relay has no read left to do.
	outboxDrained(t, m)

	s.say("상담원")
	s.tap("네, 연결해 주세요")
	s.wantState(fsm.StateWaiting)
	if h, _, err := m.DB.Handoff(ctx, ext.ID); err != nil || h.EndReason != "superseded" {
		t.Fatalf("external handoff %+v (err %v), want ended as superseded", h, err)
	}

	js, err := jetstream.New(m.NC)
	if err != nil {
		t.Fatal(err)
	}
	subject := handoff.SubjectEvent(ext.ID, handoff.EventSuperseded)
	cons, err := js.OrderedConsumer(ctx, handoff.StreamName, jetstream.OrderedConsumerConfig{FilterSubjects: []string{subject}})
	if err != nil {
		t.Fatal(err)
	}
	var got int
	fetch := func() error {
		batch, err := cons.FetchNoWait(10)
		if err != nil {
			return err
		}
		for range batch.Messages() {
			got++
		}
		return batch.Error()
	}
	// Well inside the sweep: only the hand-over publishes it this soon.
	testutil.CheckFor(t, 3*time.Second, 10*time.Millisecond, func() error {
		if err := fetch(); err != nil {
			return err
		}
		if got == 0 {
			return fmt.Errorf("no %s on the stream yet", subject)
		}
		return nil
	})

	// A read of the outbox after the hand-over publishes nothing again.
	// The router may still add a row (the no_sink ticket's event) after the
	// outbox first reads drained, so the two counts are compared until they
	// settle: a row published twice would keep them apart.
	m.Relay.Wake()
	outboxDrained(t, m)
	testutil.CheckFor(t, 5*time.Second, 20*time.Millisecond, func() error {
		var rows uint64
		if err := m.DB.ReadDB().QueryRow(`SELECT count(*) FROM outbox`).Scan(&rows); err != nil {
			return err
		}
		if n := m.Relay.Published(); n != rows {
			m.Relay.Wake()
			return fmt.Errorf("relay counted %d rows published, want %d (each outbox row once)", n, rows)
		}
		return nil
	})
	if err := fetch(); err != nil {
		t.Fatal(err)
	}
	if got != 1 {
		t.Errorf("got %d %s messages on the stream, want 1", got, subject)
	}
}

// outboxDrained waits until the relay has published every outbox row.
func outboxDrained(t *testing.T, m *Main) {
	t.Helper()
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		rows, err := m.DB.PendingOutbox(context.Background(), 100)
		if err != nil {
			return err
		}
		if len(rows) > 0 {
			subjects := make([]string, len(rows))
			for i, r := range rows {
				subjects[i] = r.Subject
			}
			return fmt.Errorf("%d outbox rows still pending: %v", len(rows), subjects)
		}
		return nil
	})
}
