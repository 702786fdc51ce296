package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testlog"
	"github.com/baton-chat/baton/internal/testutil"
)

// postDealerEvent signs ev with secret, POSTs it to the happytalk events
// route and returns the status code and the answer's "status".
func postDealerEvent(t *testing.T, m *Main, secret string, ev map[string]any) (int, string) {
	t.Helper()
	body, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, "http://"+m.PublicAddr()+"/dealers/happytalk/events", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(handoff.SignatureHeader, handoff.Sign([]byte(secret), time.Now(), body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var answer struct {
		Status string `json:"status"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
		t.Fatalf("dealer event answer: %v", err)
	}
	return resp.StatusCode, answer.Status
}

// TestDealerEventAfterFailoverIgnored: once the router failed a handoff
// over (the dealer refused it for good: notify sinks, a dealer_failed
// ticket, the user told it went to the agents), the dealer's later events
// about it — a session.started by handoff id or by the user's plusfriend
// key, an agent.assigned, a session.ended — are answered 200 "ignored" and
// logged: the user stays waiting for the agents, the handoff is neither
// accepted nor given the dealer's agent nor ended, and no external handoff
// is opened. The agents' accept link still works afterwards.
func TestDealerEventAfterFailoverIgnored(t *testing.T) {
	t.Parallel()
	dealer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusBadRequest) // final: fail over at once
	}))
	t.Cleanup(dealer.Close)
	env := testEnv{}
	env["BATON_DEALER_URL"] = dealer.URL + "/baton"
	env["BATON_DEALER_SECRET"] = e2eDealerSecret
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	env.notify(hook, slack)
	var logs testlog.Buffer
	clock := &testClock{t: mondayMorning}
	m := startBatonLogging(t, exampleConfig, t.TempDir(), clock, slog.New(slog.NewJSONHandler(&logs, nil)), env.configure)

	s := newSession(t, m, clock, "u-failed-late")
	s.welcome()
	toDealerWaiting(s)
	id, _, _, _ := s.handoff()
	testutil.CheckFor(t, 10*time.Second, 20*time.Millisecond, func() error {
		failed, err := m.DB.DealerFailed(context.Background(), id)
		if err != nil {
			return err
		}
		if h, _ := countNotices(hook, id); !failed || h != 1 {
			return fmt.Errorf("handoff %s: failed over %v, webhook told %d times; want true and once", id, failed, h)
		}
		return nil
	})

	now := time.Now().UTC().Format(time.RFC3339)
	agent := map[string]any{"id": "a-7", "name": "김상담"}
	pf := map[string]any{"plusfriend_user_key": "pf-" + s.user}
	for _, ev := range []map[string]any{
		{"version": 1, "id": "late-1", "type": "session.started", "handoff_id": id, "agent": agent, "at": now},
		{"version": 1, "id": "late-2", "type": "session.started", "user": pf, "agent": agent, "at": now},
		{"version": 1, "id": "late-3", "type": "agent.assigned", "handoff_id": id, "agent": agent, "at": now},
		{"version": 1, "id": "late-4", "type": "session.ended", "handoff_id": id, "end_type": "agent", "at": now},
	} {
		code, status := postDealerEvent(t, m, e2eDealerSecret, ev)
		if code != http.StatusOK || status != handoff.EventIgnored {
			t.Errorf("%s %s: got %d %q, want 200 %q", ev["id"], ev["type"], code, status, handoff.EventIgnored)
		}
		s.wantState(fsm.StateWaiting)
	}
	var handoffs, accepted, ended, agents int
	if err := m.DB.ReadDB().QueryRow(`SELECT COUNT(*), COUNT(accepted_at), COUNT(ended_at),
		(SELECT COUNT(*) FROM handoff_agents WHERE handoff_id = ?) FROM handoffs WHERE user_key = ?`,
		id, s.user).Scan(&handoffs, &accepted, &ended, &agents); err != nil {
		t.Fatal(err)
	}
	if handoffs != 1 || accepted != 0 || ended != 0 || agents != 0 {
		t.Errorf("got %d handoffs, %d accepted, %d ended, %d agents recorded; want 1, 0, 0, 0", handoffs, accepted, ended, agents)
	}
	if got, want := strings.Count(logs.String(), "failed over to the notify sinks ignored"), 4; got != want {
		t.Errorf("got %d log lines about ignored events, want %d", got, want)
	}

	// The agents still own it: the accept link applies.
	var link string
	for _, r := range hook.requests() {
		if n := checkSigned(t, r); n.ID == id {
			link = n.Links.Accept
		}
	}
	if code, body := followLink(t, link); code != http.StatusOK {
		t.Fatalf("accept link: got status %d (%s), want 200", code, body)
	}
	s.wantState(fsm.StateHuman)
}
