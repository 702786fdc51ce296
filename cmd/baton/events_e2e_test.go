package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testutil"
)

// streamEvent is one message of the BATON stream as an external consumer
// sees it.
type streamEvent struct {
	Subject, Data, MsgID string
}

// handoffStream reads, with an ordered consumer on baton.handoff.> (the
// way docs/nats.md tells a dashboard to), the messages about handoff id
// until it has want of them.
func handoffStream(t *testing.T, m *Main, id string, want int) []streamEvent {
	t.Helper()
	return streamAbout(t, m, "baton.handoff.>", id, want)
}

// streamAbout reads the messages on filter whose payload is id with an
// ordered consumer until it has want of them.
func streamAbout(t *testing.T, m *Main, filter, id string, want int) []streamEvent {
	t.Helper()
	js, err := jetstream.New(m.NC)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cons, err := js.OrderedConsumer(ctx, handoff.StreamName, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{filter},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []streamEvent
	testutil.CheckFor(t, 10*time.Second, 10*time.Millisecond, func() error {
		batch, err := cons.FetchNoWait(100)
		if err != nil {
			return err
		}
		for msg := range batch.Messages() {
			if string(msg.Data()) == id {
				got = append(got, streamEvent{msg.Subject(), string(msg.Data()), msg.Headers().Get(jetstream.MsgIDHeader)})
			}
		}
		if len(got) < want {
			return fmt.Errorf("stream has %d messages about %s so far, want %d: %+v", len(got), id, want, got)
		}
		return nil
	})
	return got
}

// notificationFor waits for the webhook notification of user's latest
// handoff and returns it.
func notificationFor(t *testing.T, hook *sinkRecorder, id string) notification {
	t.Helper()
	var n notification
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		for _, r := range hook.requests() {
			if r.URL == "/hook" {
				if got := checkSigned(t, r); got.ID == id {
					n = got
					return nil
				}
			}
		}
		return fmt.Errorf("no notification for %s yet", id)
	})
	return n
}

// TestHandoffEventsOnTheStream: a handoff opened through /skill, taken with
// the accept link and closed with the end link shows on the stream as req,
// accepted, ended — in that order, each once, with the outbox row's id as
// Nats-Msg-Id — and the router consumer settles without a redelivery.
func TestHandoffEventsOnTheStream(t *testing.T) {
	t.Parallel()
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	env := testEnv{}
	env.notify(hook, slack)
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)
	s := newSession(t, m, clock, "u-stream")
	s.welcome()
	toWaiting(s)
	id, _, _, _ := s.handoff()
	n := notificationFor(t, hook, id)
	if code, _ := followLink(t, n.Links.Accept); code != http.StatusOK {
		t.Fatalf("accept link: got %d, want 200", code)
	}
	if code, _ := followLink(t, n.Links.End); code != http.StatusOK {
		t.Fatalf("end link: got %d, want 200", code)
	}
	s.wantState(fsm.StateBot)

	got := handoffStream(t, m, id, 3)
	want := []string{handoff.SubjectRequest("general"), handoff.SubjectEvent(id, handoff.EventAccepted),
		handoff.SubjectEvent(id, handoff.EventEnded)}
	var subjects, msgIDs []string
	for _, e := range got {
		subjects, msgIDs = append(subjects, e.Subject), append(msgIDs, e.MsgID)
	}
	if !slices.Equal(subjects, want) {
		t.Fatalf("stream subjects about %s: got %v, want %v", id, subjects, want)
	}
	// In the order the rows were written (not ORDER BY id: see
	// session.outbox).
	rows, err := m.DB.ReadDB().Query(`SELECT id FROM outbox WHERE CAST(payload AS TEXT) = ? ORDER BY rowid`, id)
	if err != nil {
		t.Fatal(err)
	}
	var outbox []string
	for rows.Next() {
		var rid string
		if err := rows.Scan(&rid); err != nil {
			t.Fatal(err)
		}
		outbox = append(outbox, rid)
	}
	rows.Close()
	if !slices.Equal(msgIDs, outbox) {
		t.Fatalf("Nats-Msg-Ids %v, want the outbox row ids %v", msgIDs, outbox)
	}

	js, err := jetstream.New(m.NC)
	if err != nil {
		t.Fatal(err)
	}
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		c, err := js.Consumer(context.Background(), handoff.StreamName, handoff.RouterName)
		if err != nil {
			return err
		}
		info, err := c.Info(context.Background())
		if err != nil {
			return err
		}
		if info.NumPending != 0 || info.NumAckPending != 0 || info.NumRedelivered != 0 {
			return fmt.Errorf("router consumer: %d pending, %d unacked, %d redelivered; want 0", info.NumPending, info.NumAckPending, info.NumRedelivered)
		}
		return nil
	})
}

// say posts a text turn of user from a goroutine (errors are reported
// with t.Error).
func sayAsync(t *testing.T, m *Main, user, text string) {
	b := turn{User: user, Utterance: text, IsFriend: true}.payload()
	resp, err := http.Post("http://"+m.PublicAddr()+"/skill", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Error(err)
		return
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("%s %q: got %d, want 200", user, text, resp.StatusCode)
	}
}

// TestStaleLinkRacingANewHandoff: users with a human (handoff A) come back
// asking for a human again — one turn that ends A (returned_via_kakao) and
// opens handoff B, escalation.confirm being off — while the agent follows
// A's end link, all at once over real HTTP. A link that read A as open
// while the turn was committing then finds the conversation on B: whichever
// wins, the link never touches B. Every user ends waiting on an open,
// unaccepted B, and no lifecycle event names B.
func TestStaleLinkRacingANewHandoff(t *testing.T) {
	t.Parallel()
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	env := testEnv{}
	env.notify(hook, slack)
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string {
		return strings.Replace(s, "  confirm: true\n", "  confirm: false\n", 1)
	})
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, path, t.TempDir(), clock, env)
	const users = 16
	sessions := make([]*session, users)
	links := make([]notification, users)
	for i := range sessions {
		s := newSession(t, m, clock, fmt.Sprintf("u-race-%02d", i))
		s.welcome()
		s.say("상담원")
		s.wantState(fsm.StateWaiting)
		id, _, _, _ := s.handoff()
		links[i] = notificationFor(t, hook, id)
		if code, _ := followLink(t, links[i].Links.Accept); code != http.StatusOK {
			t.Fatalf("accept link: got %d, want 200", code)
		}
		s.wantState(fsm.StateHuman)
		sessions[i] = s
	}
	var wg sync.WaitGroup
	for i, s := range sessions {
		wg.Go(func() {
			sayAsync(t, m, s.user, "상담원") // back from the human: A ends, B opens
		})
		wg.Go(func() {
			for range 3 {
				// The end page's button: the POST that applies the link.
				resp, err := http.Post(links[i].Links.End, "application/x-www-form-urlencoded", nil)
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	for i, s := range sessions {
		c := s.conv()
		if c.State != fsm.StateWaiting || c.HandoffID == "" || c.HandoffID == links[i].ID {
			t.Fatalf("%s: %s on %q, want waiting on a new handoff (A was %s)", s.user, c.State, c.HandoffID, links[i].ID)
		}
		b, ok, err := m.DB.Handoff(context.Background(), c.HandoffID)
		if err != nil || !ok || !b.AcceptedAt.IsZero() || !b.EndedAt.IsZero() {
			t.Fatalf("%s: handoff B %+v (ok %v, err %v), want open and not accepted", s.user, b, ok, err)
		}
		for _, sub := range s.outbox(b.ID) {
			if strings.HasPrefix(sub, "baton.handoff.evt.") {
				t.Fatalf("%s: outbox has %s about handoff B", s.user, sub)
			}
		}
	}
}

// TestTicketEventsOnTheStream: a ticket a user left, assigned, answered and
// closed through the admin API shows on baton.ticket.> as created,
// assigned, answered, closed, in order, each once.
func TestTicketEventsOnTheStream(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	clock := &testClock{t: sundayNight}
	m := startBatonLogging(t, exampleConfig, t.TempDir(), clock, slog.New(slog.DiscardHandler), fastRelaySweep, env.configure)
	tk := newSession(t, m, clock, "u-ticket-events").leaveTicket("배송이 안 와요", "")
	for _, step := range []struct{ path, body string }{
		{"/assign", `{"assignee":"kim"}`}, {"/answer", `{"answer":"오늘 출고되었습니다."}`}, {"/close", ``},
	} {
		if code, body := adminSend(t, m, http.MethodPost, "/admin/tickets/"+tk.ID+step.path, step.body); code != http.StatusOK {
			t.Fatalf("%s: got %d %s, want 200", step.path, code, body)
		}
	}
	// A refused move (closed already) publishes nothing.
	if code, _ := adminSend(t, m, http.MethodPost, "/admin/tickets/"+tk.ID+"/close", ``); code != http.StatusConflict {
		t.Fatalf("close again: got %d, want 409", code)
	}
	var got []string
	for _, e := range streamAbout(t, m, "baton.ticket.>", tk.ID, 4) {
		got = append(got, e.Subject)
	}
	var want []string
	for _, ev := range []string{handoff.TicketCreated, handoff.TicketAssigned, handoff.TicketAnswered, handoff.TicketClosed} {
		want = append(want, handoff.SubjectTicket(tk.ID, ev))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("ticket stream: got %v, want %v", got, want)
	}
	var n int
	if err := m.DB.ReadDB().QueryRow(`SELECT count(*) FROM outbox WHERE subject LIKE 'baton.ticket.%'`).Scan(&n); err != nil || n != 4 {
		t.Fatalf("ticket outbox rows: got %d (err %v), want 4", n, err)
	}
}
