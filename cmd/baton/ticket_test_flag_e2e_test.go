package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/internal/testutil"
)

// TestBotTestHandoffsTicketIsMarkedTest: a handoff from the bot-test
// surface (params.surface "BuilderBotTest") whose notify sinks refuse it
// until its wait timeout gets a notify_failed ticket, and that ticket
// reaches the sinks marked as test traffic: "test": true in the webhook's
// ticket.created body and texts.slack_test on Slack, so no agent calls a
// tester back as a customer.
func TestBotTestHandoffsTicketIsMarkedTest(t *testing.T) {
	t.Parallel()
	x := configs.DefaultTexts()
	var mu sync.Mutex
	tickets := map[string][]byte{} // path -> the ticket's body
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		// Down for the handoff itself; up for its ticket.
		ticket := bytes.Contains(body, []byte(`"ticket.created"`)) ||
			(r.URL.Path == "/slack" && bytes.Contains(body, []byte(x.SlackTicketNotifyFailed)))
		if !ticket {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		mu.Lock()
		tickets[r.URL.Path] = body
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	env := testEnv{}
	env["BATON_NOTIFY_URL"] = srv.URL + "/hook"
	env["BATON_NOTIFY_SECRET"] = e2eNotifySecret
	env["BATON_SLACK_URL"] = srv.URL + "/slack"

	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)
	p := *m.TimerConfig.Policy()
	p.NotifyWait = time.Second
	m.TimerConfig.Set(&p)

	s := newSession(t, m, clock, "u-bottest-ticket")
	s.test = true
	s.welcome()
	toWaiting(s)
	id, _, _, _ := s.handoff()
	if h, ok, err := m.DB.Handoff(t.Context(), id); err != nil || !ok || !h.Test {
		t.Fatalf("handoff %s: got test %v (found %v, %v), want a test handoff", id, h.Test, ok, err)
	}

	var hook, slack []byte
	testutil.CheckFor(t, 15*time.Second, 20*time.Millisecond, func() error {
		mu.Lock()
		defer mu.Unlock()
		hook, slack = tickets["/hook"], tickets["/slack"]
		if hook == nil || slack == nil {
			return fmt.Errorf("ticket received by the webhook %v, by Slack %v", hook != nil, slack != nil)
		}
		return nil
	})
	var b struct {
		Type, Reason, Code string
		Test               *bool `json:"test"`
	}
	if err := json.Unmarshal(hook, &b); err != nil {
		t.Fatal(err)
	}
	_, _, reason, _ := s.handoff()
	if b.Type != "ticket.created" || b.Reason != "notify_failed" || b.Test == nil || !*b.Test {
		t.Errorf("webhook: got %s (handoff ended by %q), want a notify_failed ticket.created with \"test\": true", hook, reason)
	}
	var sb struct{ Text string }
	if err := json.Unmarshal(slack, &sb); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sb.Text, x.SlackTest) {
		t.Errorf("slack: got %q, want the test marker %q", sb.Text, x.SlackTest)
	}
}
