package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testlog"
	"github.com/baton-chat/baton/internal/testutil"
)

// Distinctive personal data of TestSlowLogsJourneyCarryNoPersonalData: none of
// it, whole or in the fragments below, may appear in a log line.
const (
	journeyUserA    = "u-pii-A7xK2qWz"   // notify and dealer handoffs, then erased
	journeyUserB    = "u-pii-B9mR4wVy"   // the failing dealer and the wait timer
	journeyUserC    = "u-pii-C3tN8zLs"   // a ticket, then a store failure
	journeyUserD    = "u-pii-D5jH6pQe"   // the dealer unreachable: the wait timer's ticket
	journeyPhone    = "010-2468-1357"    // typed in an utterance and a ticket
	journeyContact  = "010-5555-0199"    // the number left with the ticket
	journeyIntake   = "ORD-77Q1-9090"    // the vip intake answer
	journeyAnswer   = "교환품을 내일 발송해 드립니다" // the agent's ticket answer
	journeyCallback = "https://bot-api.kakao.com/v1/callback/secret-cb-token-8841"
	journeySlack    = "/slack-hook-T0SECRET9" // a Slack webhook path is a secret
	journeyDealer   = "/dlr-path-K8SECRET"    // the dealer's base path
	journeyEventKey = "evt-key-SECRET-4410"   // the Event API REST key
)

// echoServer is a loopback dealer, Slack or Kakao host that records what it
// got and answers status(body) with the request body echoed back (as a
// careless server's error page might), so a client that logged answers
// would leak what it sent. A status of dropConnection closes the
// connection unanswered (a transport error).
type echoServer struct {
	srv    *httptest.Server
	status func(body []byte) int
	mu     sync.Mutex
	got    [][]byte
}

// dropConnection is an echoServer status: close the connection unanswered.
const dropConnection = -1

func newEchoServer(t *testing.T, status func(body []byte) int) *echoServer {
	t.Helper()
	e := &echoServer{status: status}
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		e.mu.Lock()
		e.got = append(e.got, body)
		e.mu.Unlock()
		status := e.status(body)
		if status == dropConnection {
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				_ = conn.Close()
			}
			return
		}
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	t.Cleanup(e.srv.Close)
	return e
}

// count returns how many requests held sub.
func (e *echoServer) count(sub string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, b := range e.got {
		if bytes.Contains(b, []byte(sub)) {
			n++
		}
	}
	return n
}

// TestSlowLogsJourneyCarryNoPersonalData runs the real server, its logs at debug
// level into a buffer, through a journey over most paths that log: turns
// (one with a callback URL, one malformed), a notify handoff taken with its
// signed accept link (Slack failing once), a dealer handoff with an intake
// answer and signed, forged and unknown-type dealer events, a dealer that
// refuses (fallback, ticket, the wait timer), a left ticket answered by an
// agent (Event API refusing), admin reads, an erasure, and a closed store
// under a turn and an admin read. No log line may hold a user key, an
// utterance, a phone number, the callback URL, the intake or ticket answer,
// a token, a secret URL or a signed link.
func TestSlowLogsJourneyCarryNoPersonalData(t *testing.T) {
	if testing.Short() {
		t.Skip("a long journey (≈ 10 s); TestLogsCarryNoPersonalData is the short one")
	}
	t.Setenv("BATON_ADMIN_TOKEN", e2eAdminToken)
	hook := newSinkRecorder(t)
	var slackCalls atomic.Int32
	slack := newEchoServer(t, func([]byte) int {
		if slackCalls.Add(1) == 1 {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	t.Setenv("BATON_NOTIFY_URL", hook.srv.URL+"/hook")
	t.Setenv("BATON_NOTIFY_SECRET", e2eNotifySecret)
	t.Setenv("BATON_SLACK_URL", slack.srv.URL+journeySlack)
	dealer := newEchoServer(t, func(body []byte) int {
		switch {
		case bytes.Contains(body, []byte(journeyUserB)):
			return http.StatusBadRequest // a final refusal: fallback and ticket
		case bytes.Contains(body, []byte(journeyUserD)):
			return dropConnection // retried until the wait timer gives up
		}
		return http.StatusOK
	})
	t.Setenv("BATON_DEALER_URL", dealer.srv.URL+journeyDealer)
	t.Setenv("BATON_DEALER_SECRET", e2eDealerSecret)
	kakao := newEchoServer(t, func([]byte) int { return http.StatusBadRequest })
	t.Setenv("BATON_EVENT_API_URL", kakao.srv.URL)
	t.Setenv("BATON_EVENT_API_KEY", journeyEventKey)

	var logs testlog.Buffer
	clock := &testClock{t: mondayMorning}
	m := startBatonLogging(t, exampleConfig, t.TempDir(), clock,
		slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		func(m *Main) { m.EventAPIInterval = 100 * time.Millisecond }, fastRelaySweep)
	p := *m.TimerConfig.Policy()
	p.DealerWait = 2 * time.Second // B's wait timer fires within the test
	m.TimerConfig.Set(&p)

	// A: turns with a phone number, a callback URL and a malformed body.
	a := newSession(t, m, clock, journeyUserA)
	a.welcome()
	a.say("환불 문의인데요 제 번호는 " + journeyPhone + " 입니다")
	if code, out := postSkill(t, m, withCallback(t, turn{User: journeyUserA, Utterance: "배송 조회는 어떻게 하나요", IsFriend: true}.payload(), journeyCallback), nil); code != http.StatusOK {
		t.Fatalf("callback turn: got %d: %s", code, out)
	}
	if code, _ := postSkill(t, m, []byte(`{"userRequest": {"utterance": "택배 분실 `+journeyPhone+`", "user": {"id": "`+journeyUserA+`"`), nil); code != http.StatusOK {
		t.Fatalf("malformed turn: got %d, want 200", code)
	}

	// A → general (notify): Slack fails once, the hook's accept link takes
	// it, an admin ends it.
	toWaiting(a)
	idA, _, _, _ := a.handoff()
	n := notificationFor(t, hook, idA)
	if code, page := followLink(t, n.Links.Accept); code != http.StatusOK {
		t.Fatalf("accept link: got %d %s", code, page)
	}
	a.wantState(fsm.StateHuman)
	if code, body := adminCall(t, m, http.MethodPost, "/admin/handoffs/"+idA+"/end"); code != http.StatusOK {
		t.Fatalf("admin end: got %d %v", code, body)
	}
	a.wantState(fsm.StateBot)

	// A → vip (dealer) with an intake answer; the dealer's events: forged,
	// of an unknown type, started, ended.
	a.welcome()
	toVIPIntake(a)
	a.say(journeyIntake)
	a.wantState(fsm.StateWaiting)
	idA2, _, _, _ := a.handoff()
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		if dealer.count(idA2) == 0 {
			return fmt.Errorf("the dealer got no request for %s", idA2)
		}
		return nil
	})
	if code, _ := adminGetAs(t, m, e2eAdminToken, "/admin/handoffs/"+idA2+"/intake"); code != http.StatusOK {
		t.Fatalf("intake read: got %d, want 200", code)
	}
	at := time.Now().UTC().Format(time.RFC3339)
	forged := map[string]any{"version": 1, "id": "ev-forged-" + journeyUserA, "type": "session.started", "handoff_id": idA2,
		"user": map[string]any{"plusfriend_user_key": "pf-" + journeyUserA}, "at": at}
	if code := dealerEvent(t, m, "forged-secret", forged); code != http.StatusUnauthorized {
		t.Fatalf("forged event: got %d, want 401", code)
	}
	unknown := map[string]any{"version": 1, "id": "ev-odd", "type": "message.sent", "handoff_id": idA2,
		"user": map[string]any{"plusfriend_user_key": "pf-" + journeyUserA}, "text": journeyPhone, "at": at}
	if code := dealerEvent(t, m, e2eDealerSecret, unknown); code != http.StatusOK {
		t.Fatalf("unknown event: got %d, want 200", code)
	}
	for _, ev := range []map[string]any{
		{"version": 1, "id": "ev-start", "type": "session.started", "handoff_id": idA2, "at": at,
			"agent": map[string]any{"id": "a1", "name": "김상담"}},
		{"version": 1, "id": "ev-end", "type": "session.ended", "handoff_id": idA2, "at": at, "end_type": "agent"},
	} {
		if code := dealerEvent(t, m, e2eDealerSecret, ev); code != http.StatusOK {
			t.Fatalf("%s: got %d, want 200", ev["type"], code)
		}
	}
	a.wantState(fsm.StateBot)

	// B → vip: the dealer refuses for good; the router falls back to the
	// sinks with a dealer_failed ticket and the wait timer ends the handoff.
	// D → vip: the dealer is unreachable; the router retries until the wait
	// timer opens the dealer_failed ticket and ends the handoff.
	// Both wait at once: each wait timer takes DealerWait.
	var waiting []*session
	for _, user := range []string{journeyUserB, journeyUserD} {
		s := newSession(t, m, clock, user)
		s.welcome()
		toDealerWaiting(s)
		waiting = append(waiting, s)
	}
	for _, s := range waiting {
		testutil.CheckFor(t, 20*time.Second, 50*time.Millisecond, func() error {
			if _, _, _, ended := s.handoff(); !ended {
				return fmt.Errorf("%s's handoff is not ended yet (dealer got %d requests)", s.user[len(s.user)-8:], dealer.count(s.user))
			}
			return nil
		})
	}

	// C leaves a ticket while general is closed; an agent answers it and a
	// master reads its contact.
	until := clock.Now().Add(3 * time.Hour).UTC().Format(time.RFC3339)
	if code, body := adminSend(t, m, http.MethodPost, "/admin/hours/override", `{"queue":"general","mode":"closed","until":"`+until+`"}`); code != http.StatusOK {
		t.Fatalf("close general: got %d %s", code, body)
	}
	c := newSession(t, m, clock, journeyUserC)
	tk := c.leaveTicket("택배가 파손되어 왔어요 "+journeyPhone, journeyContact)
	if code, body := adminAs(t, m, e2eAdminToken, http.MethodPost, "/admin/tickets/"+tk.ID+"/answer", `{"answer":"`+journeyAnswer+`"}`); code != http.StatusOK {
		t.Fatalf("answer ticket: got %d %v", code, body)
	}
	if code, _ := adminGetAs(t, m, e2eAdminToken, "/admin/tickets/"+tk.ID+"/contact"); code != http.StatusOK {
		t.Fatalf("contact read: got %d, want 200", code)
	}
	if !testing.Short() {
		// The deliverer's loop (100 ms here), on the real clock, sends the answer
		// (due on the test clock, tomorrow: made due now); Kakao refuses it.
		if err := m.DB.Write(context.Background(), func(tx *sql.Tx) error {
			_, err := tx.Exec(`UPDATE notifications SET not_before = ?, created_at = ? WHERE user_key = ?`,
				time.Now().UnixMilli(), time.Now().UnixMilli(), journeyUserC)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		testutil.CheckFor(t, 20*time.Second, 50*time.Millisecond, func() error {
			if kakao.count(journeyUserC) == 0 {
				return fmt.Errorf("the Event API got no call for C")
			}
			return nil
		})
	}

	// An admin reads A's conversation, then erases A.
	if code, _ := adminGetAs(t, m, e2eAdminToken, "/admin/conversations/"+journeyUserA); code != http.StatusOK {
		t.Fatalf("conversation read: got %d, want 200", code)
	}
	if code, body := adminCall(t, m, http.MethodDelete, "/admin/users/"+journeyUserA); code != http.StatusOK {
		t.Fatalf("erase: got %d %v", code, body)
	}

	// Two lines come from background work that goes on after what the steps
	// above waited for: the wait timer opens D's ticket after it ends the
	// handoff, and the deliverer logs Kakao's refusal after Kakao answered.
	// Closing the store first would fail that work unlogged.
	background := []string{"timers: dealer never acknowledged"}
	if !testing.Short() {
		background = append(background, "eventapi: call refused")
	}
	testutil.CheckFor(t, 20*time.Second, 50*time.Millisecond, func() error {
		for _, msg := range background {
			if !strings.Contains(logs.String(), msg) {
				return fmt.Errorf("no %q logged yet", msg)
			}
		}
		return nil
	})

	// The store fails: a turn answers the fallback, an admin read fails.
	if err := m.DB.Close(); err != nil {
		t.Fatal(err)
	}
	if code, out := postSkill(t, m, turn{User: journeyUserC, Utterance: "환불 문의 " + journeyPhone, IsFriend: true}.payload(), nil); code != http.StatusOK {
		t.Fatalf("turn on a closed store: got %d: %s", code, out)
	}
	if code, _ := adminGetAs(t, m, e2eAdminToken, "/admin/conversations/"+journeyUserC); code != http.StatusInternalServerError {
		t.Fatalf("conversation read on a closed store: got %d, want 500", code)
	}
	_ = m.Close()

	out := logs.String()
	// Each path above logged: otherwise the scan below proves nothing.
	for _, msg := range []string{
		"skill: answered the fallback", "link applied", "admin: handoff end", "router: delivery failed; retrying",
		"dealer event refused", "dealer event of an unknown type ignored", "router: dealer failed",
		"timers: timer fired", "timers: dealer never acknowledged", "admin: ticket answer", "admin: ticket contact read", "admin: handoff intake read",
		"admin: user erased", "admin: request failed",
	} {
		if !strings.Contains(out, msg) {
			t.Errorf("no %q logged: the journey missed a path", msg)
		}
	}
	if !testing.Short() && !strings.Contains(out, "eventapi: call refused") {
		t.Errorf("no Event API refusal logged: the journey missed a path")
	}
	secrets := []string{
		journeyUserA, journeyUserB, journeyUserC, journeyUserD, // "pf-"+key holds the key
		journeyPhone, "01024681357", "2468-1357", journeyContact, "01055550199", "5555-0199",
		"환불 문의", "배송 조회는", "택배 분실", "택배가 파손", journeyIntake, journeyAnswer, "교환품",
		journeyCallback, "secret-cb-token", journeySlack, "T0SECRET9", journeyDealer, "K8SECRET", journeyEventKey,
		e2eAdminToken, e2eDealerSecret, e2eNotifySecret, n.Links.Accept, n.Links.End,
	}
	for _, link := range []string{n.Links.Accept, n.Links.End} {
		secrets = append(secrets, link[strings.LastIndex(link, "/")+1:]) // the signed token on its own
	}
	for _, secret := range secrets {
		for _, line := range strings.Split(out, "\n") {
			if strings.Contains(line, secret) {
				t.Errorf("log line holds %q: %s", secret, line)
			}
		}
	}
}
