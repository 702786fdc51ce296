package main

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
)

// TestFailedOverHandoffAcceptedStaysWithTheAgent: a 상담톡 dealer down
// past handoff.dealer_failover_after fails its handoff over to the notify
// sinks (accept/end links) and a dealer_failed ticket; an agent accepts it
// through the link. The user is in no 상담톡 room or 1:1 chat with that
// agent, so their next message comes to the bot as it did while they
// waited: it must not end the handoff as "back from a human"
// (returned_via_kakao) nor ask the CSAT question of a session that never
// took place. The user is answered as the bot with a line saying an agent
// has the request (texts.human_dealer_failure, with the code), the turn
// is in the transcript the agents read, and the handoff stays the agent's
// until their end link, whose page says it was applied. Neither that end
// nor the close of its dealer_failed ticket queues the CSAT question for
// the Event API (on here): there was no chat session to rate.
func TestFailedOverHandoffAcceptedStaysWithTheAgent(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	kakao := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable) // nothing is due to be sent here
	}))
	t.Cleanup(kakao.Close)
	env["BATON_EVENT_API_URL"] = kakao.URL
	env["BATON_EVENT_API_KEY"] = "e2e-key"
	clock := &testClock{t: mondayMorning}
	var after atomic.Int64 // dealer_failover_after, set before the handoff opens
	var requests atomic.Int32
	dealer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/handoffs") {
			requests.Add(1)
			// The outage outlasts dealer_failover_after while the router's
			// first attempt is in flight: that failure is final.
			clock.Advance(time.Duration(after.Load()))
		}
		// A Retry-After past the call's budget ends the call at once.
		w.Header().Set("Retry-After", "60")
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	t.Cleanup(dealer.Close)
	env["BATON_DEALER_URL"] = dealer.URL + "/baton"
	env["BATON_DEALER_SECRET"] = e2eDealerSecret
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	env.notify(hook, slack)
	m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)
	after.Store(int64(m.CurrentConfig().Handoff.DealerFailoverAfter.D()))

	tx := configs.DefaultTexts()
	// failOverAndAccept takes s to a dealer handoff the router fails over,
	// which an agent then accepts through the link.
	failOverAndAccept := func(s *session) (id string, n notification) {
		t.Helper()
		s.welcome()
		toDealerWaiting(s)
		id, _, _, _ = s.handoff()
		testutil.CheckFor(t, 10*time.Second, 10*time.Millisecond, func() error {
			for _, req := range hook.requests() {
				var b struct{ Type, ID string }
				if json.Unmarshal(req.Body, &b) == nil && b.Type == "handoff.requested" && b.ID == id {
					n = checkSigned(t, req)
					return nil
				}
			}
			return fmt.Errorf("webhook has not got handoff %s (dealer got %d requests)", id, requests.Load())
		})
		if got := ticketReasons(t, m, id); len(got) != 1 || got[0] != "dealer_failed" {
			t.Fatalf("after the failover: got tickets %v, want [dealer_failed]", got)
		}
		// The accept page tells the agent the user is in no chat with them.
		code, page := followLink(t, n.Links.Accept)
		if code != http.StatusOK || !strings.Contains(page, html.EscapeString(strings.ReplaceAll(tx.LinkAcceptedFailedOver, "{code}", n.Code))) {
			t.Fatalf("accept link: got %d %q, want %q", code, page, tx.LinkAcceptedFailedOver)
		}
		s.wantState(fsm.StateHuman)
		return id, n
	}
	s := newSession(t, m, clock, "u-failover-accepted")
	id, n := failOverAndAccept(s)
	// The agent works it like a 1:1 chat, and its dealer's events no
	// longer count: its idle timer is handoff.one_on_one_idle from the
	// accept, not the dealer session's 6 h.
	wantIdle := func(when string) {
		t.Helper()
		ctx := context.Background()
		h, _, err := m.DB.Handoff(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		tm, found, err := m.DB.Timer(ctx, store.TimerIdle, id)
		want := h.AcceptedAt.Add(m.CurrentConfig().Handoff.OneOnOneIdle.D())
		if err != nil || !found || tm.Status != store.TimerPending || !tm.DueAt.Equal(want) {
			t.Fatalf("%s: idle timer %+v (found %v, %v), want pending, due %v (one_on_one_idle after the accept)", when, tm, found, err, want)
		}
	}
	wantIdle("after the accept")

	// The user writes to the bot, the only one in their chat.
	s.say("배송비 얼마에요")
	s.wantState(fsm.StateHuman)
	if _, _, reason, ended := s.handoff(); ended {
		t.Fatalf("the user's turn after the accept ended the handoff (%s), want it the agent's until they end it", reason)
	}
	s.wantText(strings.ReplaceAll(tx.HumanDealerFailure, "{code}", n.Code))
	s.wantText("배송비") // answered as the bot
	if got := s.last.text(); strings.Contains(got, tx.CSATQuestion) {
		t.Errorf("got the CSAT question of a session that never took place: %s", s.raw)
	}
	wantIdle("after the user's turn") // as in 1:1, the user's turns restart nothing

	// The dealer's return block (end-with-bot) is about no session of
	// this handoff: it ends nothing and greets no return.
	s.send(turn{Block: "상담 종료"})
	s.wantState(fsm.StateHuman)
	if _, _, reason, ended := s.handoff(); ended {
		t.Fatalf("the return block ended the failed-over handoff (%s), want it the agent's", reason)
	}
	s.wantText(strings.ReplaceAll(tx.HumanDealerFailure, "{code}", n.Code))
	if got := s.last.text(); strings.Contains(got, tx.ReturnedGreeting) || strings.Contains(got, tx.CSATQuestion) {
		t.Errorf("return block: got %q, want neither the returned greeting nor the CSAT question", got)
	}
	// The agent who opens the accept link again is told someone has the
	// user, not that the user came back to the bot.
	if code, page := followLink(t, n.Links.Accept); code != http.StatusOK || !strings.Contains(page, html.EscapeString(strings.ReplaceAll(tx.LinkTakenFailedOver, "{code}", n.Code))) {
		t.Errorf("accept link after the user's turn: got %d %q, want %q", code, page, tx.LinkTakenFailedOver)
	}
	if _, got := adminCall(t, m, http.MethodGet, "/admin/conversations/"+s.user); !strings.Contains(fmt.Sprint(got["turns"]), "배송비 얼마에요") {
		t.Errorf("the admin transcript lacks the user's message: %s", got)
	}

	code, page := followLink(t, n.Links.End)
	if code != http.StatusOK || !strings.Contains(page, "상담을 종료했습니다 (상담번호 "+n.Code+")") {
		t.Fatalf("end link: got %d %q, want the end applied", code, page)
	}
	s.wantState(fsm.StateBot)
	if _, _, reason, ended := s.handoff(); !ended || reason != "agent_link" {
		t.Errorf("after the end link: handoff ended %v reason %q, want agent_link", ended, reason)
	}
	csatQueued := func(handoffID string) int {
		t.Helper()
		var n int
		if err := m.DB.ReadDB().QueryRow(`SELECT COUNT(*) FROM notifications WHERE kind = ? AND ref = ?`,
			store.NotifyCSAT, handoffID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := csatQueued(id); n != 0 {
		t.Errorf("after the end link: %d csat notifications, want none for a failed-over handoff", n)
	}
	s.say("배송비 얼마에요")
	if got := s.last.text(); strings.Contains(got, n.Code) {
		t.Errorf("after the end: got %q, want no status line", got)
	}
	// The end leaves the dealer_failed ticket open (the agent may still
	// owe the user a call); the ticket shows its handoff ended.
	ticketOf := func(handoffID string) string {
		t.Helper()
		var id string
		if err := m.DB.ReadDB().QueryRowContext(context.Background(),
			`SELECT id FROM tickets WHERE handoff_id = ?`, handoffID).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	_, got := adminCall(t, m, http.MethodGet, "/admin/tickets/"+ticketOf(id))
	if tk, _ := got["ticket"].(map[string]any); tk["status"] != "open" || tk["handoff_end_reason"] != "agent_link" || tk["handoff_ended_at"] == nil {
		t.Errorf("ticket after the handoff's end: got %v, want open, handoff_end_reason agent_link and handoff_ended_at", got)
	}

	// Closing the dealer_failed ticket of a handoff still open (the agent
	// called the user back and is done) ends that handoff with it, in one
	// transaction: the user is back with the bot, its idle timer goes.
	s2 := newSession(t, m, clock, "u-failover-ticket-closed")
	id2, n2 := failOverAndAccept(s2)
	ticket := ticketOf(id2)
	if code, got := adminCall(t, m, http.MethodPost, "/admin/tickets/"+ticket+"/close"); code != http.StatusOK ||
		fmt.Sprint(got["ticket"].(map[string]any)["status"]) != "closed" {
		t.Fatalf("close ticket: got %d %v, want 200 and the ticket closed", code, got)
	}
	if _, _, reason, ended := s2.handoff(); !ended || reason != "ticket_closed" {
		t.Errorf("after the ticket's close: handoff ended %v reason %q, want ticket_closed", ended, reason)
	}
	if n := csatQueued(id2); n != 0 {
		t.Errorf("after the ticket's close: %d csat notifications, want none for a failed-over handoff", n)
	}
	s2.wantState(fsm.StateBot)
	if tm, _, err := m.DB.Timer(context.Background(), store.TimerIdle, id2); err != nil || tm.Status != store.TimerCancelled {
		t.Errorf("idle timer after the ticket's close: got %q (%v), want cancelled", tm.Status, err)
	}
	s2.say("배송비 얼마에요")
	if got := s2.last.text(); strings.Contains(got, n2.Code) {
		t.Errorf("after the ticket's close: got %q, want no status line", got)
	}
}
