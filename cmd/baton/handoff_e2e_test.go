package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testutil"
)

const e2eNotifySecret = "e2e-notify-secret"

// sinkRecorder is a loopback notify receiver that records the exact bytes
// and headers it got.
type sinkRecorder struct {
	srv  *httptest.Server
	mu   sync.Mutex
	reqs []sinkRequest
}

type sinkRequest struct {
	URL    string // path as received
	Header http.Header
	Body   []byte
	At     time.Time
}

func newSinkRecorder(t testing.TB) *sinkRecorder {
	t.Helper()
	r := &sinkRecorder{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		at := time.Now()
		r.mu.Lock()
		r.reqs = append(r.reqs, sinkRequest{URL: req.URL.Path, Header: req.Header.Clone(), Body: body, At: at})
		r.mu.Unlock()
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *sinkRecorder) requests() []sinkRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sinkRequest(nil), r.reqs...)
}

// setNotifyEnv points the example config's notify sinks at hook and slack.
func setNotifyEnv(t testing.TB, hook, slack *sinkRecorder) {
	t.Setenv("BATON_NOTIFY_URL", hook.srv.URL+"/hook")
	t.Setenv("BATON_NOTIFY_SECRET", e2eNotifySecret)
	t.Setenv("BATON_SLACK_URL", slack.srv.URL+"/slack")
}

// notification is the part of the webhook body the tests read.
type notification struct {
	ID   string `json:"id"`
	Code string `json:"code"`
	User struct {
		BotUserKey string `json:"bot_user_key"`
	} `json:"user"`
	Context struct {
		Turns []struct{ From, Text string } `json:"turns"`
	} `json:"context"`
	Links struct{ Accept, End string } `json:"links"`
}

// checkSigned verifies the X-Baton-Signature of a recorded request on its raw
// body and decodes it.
func checkSigned(t testing.TB, r sinkRequest) notification {
	t.Helper()
	ts, v1, _ := strings.Cut(strings.TrimPrefix(r.Header.Get("X-Baton-Signature"), "t="), ",v1=")
	m := hmac.New(sha256.New, []byte(e2eNotifySecret))
	m.Write([]byte(ts + "."))
	m.Write(r.Body)
	if want := hex.EncodeToString(m.Sum(nil)); v1 != want {
		t.Fatalf("signature %q does not verify on the recorded body (want v1=%s)", r.Header.Get("X-Baton-Signature"), want)
	}
	var n notification
	if err := json.Unmarshal(r.Body, &n); err != nil {
		t.Fatalf("webhook body: %v: %s", err, r.Body)
	}
	if k := r.Header.Get("Idempotency-Key"); k != n.ID {
		t.Fatalf("Idempotency-Key %q, want the handoff id %q", k, n.ID)
	}
	return n
}

// linkButton is the form of a link's GET page: one button that POSTs to
// the page's own URL.
const linkButton = `<form method="post"><button type="submit">`

// followLink does what an agent who follows url does: open it (a GET, which
// changes nothing) and, when the page has the link's button, press it (a
// POST to the same URL, which applies the link). It returns the status and
// page of the last answer: the POST's, or the GET's when it had no button
// (a bad link, or one whose action can no longer apply).
func followLink(t testing.TB, url string) (int, string) {
	t.Helper()
	code, page := fetchLinkPage(t, http.MethodGet, url)
	if code != http.StatusOK || !strings.Contains(page, linkButton) {
		return code, page
	}
	return fetchLinkPage(t, http.MethodPost, url)
}

// fetchLinkPage sends method to a link and returns the status and page.
func fetchLinkPage(t testing.TB, method, url string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatalf("%s link: %v", method, err)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded") // as a browser's form
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s link: %v", method, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestOneOnOneHandoff: escalate → a signed notification with the handoff code
// and masked context arrives → the next turn re-offers the button and 상담
// 취소 → the accept link → human → a user turn is a return (returned_via_kakao),
// answered, then the menu. The Slack-style sink gets no personal data.
func TestOneOnOneHandoff(t *testing.T) {
	t.Parallel()
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	env := testEnv{}
	env.notify(hook, slack)
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)
	s := newSession(t, m, clock, "u-one-on-one")
	s.welcome()
	s.say("배송비는 얼마인가요?")
	s.say("상담원")
	s.tap("네, 연결해 주세요")
	s.wantState(fsm.StateWaiting)
	id, _, _, _ := s.handoff()

	var req sinkRequest
	testutil.CheckFor(t, 3*time.Second, 10*time.Millisecond, func() error {
		if got := hook.requests(); len(got) != 1 {
			return fmt.Errorf("webhook got %d requests, want 1", len(got))
		}
		req = hook.requests()[0]
		return nil
	})
	n := checkSigned(t, req)
	if n.ID != id || n.User.BotUserKey != s.user {
		t.Fatalf("notification id %q user %q, want %q %q", n.ID, n.User.BotUserKey, id, s.user)
	}
	s.wantText("상담번호 " + n.Code)
	// Each turn as the user's text and the bot's record of it (ids, as the
	// dealer contract gives them); the welcome event has no user text.
	wantTurns := []struct{ From, Text string }{
		{"bot", "welcome:main"},
		{"user", "배송비는 얼마인가요?"}, {"bot", "faq:ship-fee"}, // ship-fee's own question: answered (faq/exact.go)
		{"user", "상담원"}, {"bot", "confirm:general"},
		{"user", "네, 연결해 주세요"}, {"bot", "handoff:general"},
	}
	if !slices.Equal(n.Context.Turns, wantTurns) {
		t.Fatalf("notification turns: got %+v, want %+v", n.Context.Turns, wantTurns)
	}

	s.say("배송비 얼마에요")
	s.wantState(fsm.StateWaiting)
	if !s.hasOperatorButton() || !s.hasQuickReply("상담 취소") {
		t.Fatalf("waiting answer does not re-offer the button and 상담 취소: %s", s.raw)
	}

	testutil.CheckFor(t, 3*time.Second, 10*time.Millisecond, func() error {
		if got := len(slack.requests()); got != 1 {
			return fmt.Errorf("slack got %d requests, want 1", got)
		}
		return nil
	})
	sl := slack.requests()[0].Body
	if !bytes.Contains(sl, []byte(n.Code)) || !bytes.Contains(sl, []byte(n.Links.Accept)) {
		t.Fatalf("slack body lacks the code or the accept link: %s", sl)
	}
	for _, bad := range []string{s.user, "pf-" + s.user, "상담원"} {
		if bytes.Contains(sl, []byte(bad)) {
			t.Fatalf("slack body carries %q: %s", bad, sl)
		}
	}

	// A page that changed nothing, or took the chat, says what to do next:
	// how to get a working link, where to answer the user and how to end
	// (the end link named as the Slack message names it).
	if code, page := followLink(t, n.Links.Accept+"x"); code != http.StatusForbidden || !strings.Contains(page, "새 링크") {
		t.Fatalf("tampered link: got %d %q, want 403 saying how to get a new link", code, page)
	}
	code, page := followLink(t, n.Links.Accept)
	if code != 200 || !strings.Contains(page, "상담을 시작했습니다 (상담번호 "+n.Code+")") {
		t.Fatalf("accept link: got %d %q", code, page)
	}
	if endLink := m.CurrentConfig().Texts.SlackEndLink; !strings.Contains(page, "1:1 채팅") || !strings.Contains(page, endLink) {
		t.Fatalf("accept link: got %q, want the next step: the 1:1 chat, then the %q link", page, endLink)
	}
	s.wantState(fsm.StateHuman)
	// The same link again: the agent who took the chat (a second click, a
	// reopened tab) is told to carry on in the 1:1 chat, not that someone
	// else has it; a colleague learns it is taken.
	if code, page := followLink(t, n.Links.Accept); code != 200 || !strings.Contains(page, "이미 수락된 상담입니다") || !strings.Contains(page, "직접 수락하셨다면 1:1 채팅") {
		t.Fatalf("accept link again: got %d %q, want 200 saying it is taken and, to the agent who took it, to carry on in the 1:1 chat", code, page)
	}

	s.say("배송비 얼마에요")
	s.wantState(fsm.StateBot)
	s.wantText("배송")
	if !s.hasQuickReply("주문/배송") && !s.hasQuickReply("처음으로") {
		t.Fatalf("returned turn does not lead back to the menu: %s", s.raw)
	}
	if _, _, reason, ended := s.handoff(); !ended || reason != "returned_via_kakao" {
		t.Fatalf("handoff ended %v reason %q, want returned_via_kakao", ended, reason)
	}
	if code, page := followLink(t, n.Links.End); code != 200 || !strings.Contains(page, "고객이 챗봇으로 돌아와 상담이 종료되었습니다") {
		t.Fatalf("end link after the return: got %d %q, want 200 고객이 챗봇으로 돌아와 상담이 종료되었습니다", code, page)
	}
	// The example's webhook takes handoff.closed (send_closed): the request,
	// then, once the return ended the handoff, its end, and nothing else.
	testutil.CheckFor(t, 3*time.Second, 10*time.Millisecond, func() error {
		var types []string
		for _, r := range hook.requests() {
			var m struct {
				Type      string `json:"type"`
				ID        string `json:"id"`
				EndReason string `json:"end_reason"`
				Accepted  bool   `json:"accepted"`
			}
			if err := json.Unmarshal(r.Body, &m); err != nil || m.ID != id {
				return fmt.Errorf("webhook request %s: %v, id %q (want %q)", r.Body, err, m.ID, id)
			}
			if m.Type == "handoff.closed" && (m.EndReason != "returned_via_kakao" || !m.Accepted) {
				return fmt.Errorf("handoff.closed %s, want end_reason returned_via_kakao, accepted", r.Body)
			}
			types = append(types, m.Type)
		}
		if !slices.Equal(types, []string{"handoff.requested", "handoff.closed"}) {
			return fmt.Errorf("webhook got %v, want the request, then its end", types)
		}
		return nil
	})
}

// TestEndLinkReturnsToBot: an agent's end link closes a human chat.
func TestEndLinkReturnsToBot(t *testing.T) {
	t.Parallel()
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	env := testEnv{}
	env.notify(hook, slack)
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)
	s := newSession(t, m, clock, "u-end-link")
	s.welcome()
	toWaiting(s)
	testutil.CheckFor(t, 3*time.Second, 10*time.Millisecond, func() error {
		if len(hook.requests()) != 1 {
			return fmt.Errorf("no notification yet")
		}
		return nil
	})
	n := checkSigned(t, hook.requests()[0])
	if code, _ := followLink(t, n.Links.Accept); code != 200 {
		t.Fatalf("accept: got %d", code)
	}
	code, page := followLink(t, n.Links.End)
	if code != 200 || !strings.Contains(page, "상담을 종료했습니다") {
		t.Fatalf("end link: got %d %q", code, page)
	}
	s.wantState(fsm.StateBot)
	if _, _, reason, ended := s.handoff(); !ended || reason == "" {
		t.Fatalf("handoff ended %v reason %q", ended, reason)
	}
}
