package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
)

// TestAdminMovesLeaveAtOnce: what the admin API commits with outbox rows —
// a ticket assigned, answered and closed, a handoff accepted and ended, an
// erasure that owes a dealer a cancel — reaches the stream at once, with
// the outbox relay's sweep set to a minute: the API wakes the relay after
// its commit rather than leaving the rows for the sweep.
func TestAdminMovesLeaveAtOnce(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	dealer := newSinkRecorder(t)
	env["BATON_DEALER_URL"] = dealer.srv.URL + "/baton"
	env["BATON_DEALER_SECRET"] = e2eDealerSecret
	clock := &testClock{t: mondayMorning}
	m := startBatonLogging(t, exampleConfig, t.TempDir(), clock, slog.New(slog.DiscardHandler),
		func(m *Main) { m.RelaySweep = time.Minute }, env.configure)
	ctx := context.Background()

	// A user waiting for the dealer (to erase last), once the dealer has
	// the request: nothing of the router's is in flight after that.
	erased := newSession(t, m, clock, "u-admin-wake-erased")
	erased.welcome()
	toDealerWaiting(erased)
	dealerHandoff, _, _, _ := erased.handoff()
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		if n := len(dealerRequests(t, dealer, "/baton/handoffs")); n != 1 {
			return fmt.Errorf("dealer got %d handoff requests, want 1", n)
		}
		return nil
	})

	// A ticket moved by an agent.
	now := clock.Now()
	tk := store.Ticket{ID: store.NewID(now), Queue: "general", Reason: store.TicketReasonUserMessage,
		Status: store.TicketStatusOpen, CreatedAt: now, Code: "W4K3", Message: "배송 문의"}
	if _, err := m.DB.OpenTicket(ctx, tk); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct{ path, body, event string }{
		{"/assign", `{"assignee":"kim"}`, handoff.TicketAssigned},
		{"/answer", `{"answer":"오늘 출고되었습니다."}`, handoff.TicketAnswered},
		{"/close", ``, handoff.TicketClosed},
	} {
		if code, body := adminSend(t, m, http.MethodPost, "/admin/tickets/"+tk.ID+step.path, step.body); code != http.StatusOK {
			t.Fatalf("%s: got %d %s, want 200", step.path, code, body)
		}
		wantOnStreamSoon(t, m, handoff.SubjectTicket(tk.ID, step.event))
	}

	// The erasure's owed cancel.
	if code, body := adminCall(t, m, http.MethodDelete, "/admin/users/"+erased.user); code != http.StatusOK {
		t.Fatalf("erase: got %d %v, want 200", code, body)
	}
	wantOnStreamSoon(t, m, handoff.SubjectErasureCancel(">"))
	testutil.CheckFor(t, 3*time.Second, 10*time.Millisecond, func() error {
		if n := len(dealerRequests(t, dealer, "/baton/handoffs/"+dealerHandoff+"/cancel")); n != 1 {
			return fmt.Errorf("dealer got %d cancels of the erased user's handoff, want 1", n)
		}
		return nil
	})

	// A handoff taken and ended without its links.
	s := newSession(t, m, clock, "u-admin-wake-handoff")
	s.welcome()
	s.say("상담원")
	s.tap("네, 연결해 주세요")
	s.wantState(fsm.StateWaiting)
	id, _, _, _ := s.handoff()
	for _, step := range []struct{ action, event string }{{"accept", handoff.EventAccepted}, {"end", handoff.EventEnded}} {
		if code, body := adminCall(t, m, http.MethodPost, "/admin/handoffs/"+id+"/"+step.action); code != http.StatusOK {
			t.Fatalf("%s: got %d %v, want 200", step.action, code, body)
		}
		wantOnStreamSoon(t, m, handoff.SubjectEvent(id, step.event))
	}
}

// wantOnStreamSoon waits a few seconds (far less than the relay's sweep in
// the tests that use it) for a message on subject (a filter) in the stream.
func wantOnStreamSoon(t *testing.T, m *Main, subject string) {
	t.Helper()
	js, err := jetstream.New(m.NC)
	if err != nil {
		t.Fatal(err)
	}
	cons, err := js.OrderedConsumer(context.Background(), handoff.StreamName, jetstream.OrderedConsumerConfig{FilterSubjects: []string{subject}})
	if err != nil {
		t.Fatal(err)
	}
	testutil.CheckFor(t, 3*time.Second, 10*time.Millisecond, func() error {
		batch, err := cons.FetchNoWait(1)
		if err != nil {
			return err
		}
		got := 0
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
