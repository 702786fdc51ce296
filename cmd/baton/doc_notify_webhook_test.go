package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testutil"
)

const docNotifySecret = "doc-notify-secret"

// TestNotifyWebhookAsDocumented plays the receivers of
// docs/notify-webhook.md against the real server (the shipped one_on_one
// example): the signed handoff.requested of §1.1 with the documented
// fields, the accept and end links of §2, and the Slack text of §3.
func TestNotifyWebhookAsDocumented(t *testing.T) {
	t.Parallel()
	recv := newDocReceiver(t)
	env := testEnv{}
	env["BATON_NOTIFY_URL"] = recv.srv.URL + "/hook"
	env["BATON_NOTIFY_SECRET"] = docNotifySecret
	env["BATON_SLACK_URL"] = recv.srv.URL + "/slack"
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, shippedExample, t.TempDir(), clock, env)
	s := newSession(t, m, clock, "u-doc-notify")
	s.welcome()
	s.tap("회원/계정")
	s.tap("VIP 전용 상담")
	s.tap("네, 연결해 주세요")
	s.say("A-1001") // the vip queue's intake: order
	s.wantState(fsm.StateWaiting)
	id, _, _, _ := s.handoff()
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		if h, sl := len(recv.at("/hook")), len(recv.at("/slack")); h != 1 || sl != 1 {
			return fmt.Errorf("got %d webhook and %d slack posts, want 1 each", h, sl)
		}
		return nil
	})

	// §1: signed JSON with the documented headers.
	hook := recv.at("/hook")[0]
	if hook.Method != http.MethodPost || !strings.HasPrefix(hook.Header.Get("Content-Type"), "application/json") {
		t.Errorf("webhook: got %s %q, want POST application/json", hook.Method, hook.Header.Get("Content-Type"))
	}
	if err := docVerify(docNotifySecret, hook.Header.Get(docSignatureHeader), hook.Body, time.Now()); err != nil {
		t.Errorf("webhook signature: %v", err)
	}
	if got := hook.Header.Get("Idempotency-Key"); got != id {
		t.Errorf("webhook Idempotency-Key: got %q, want the handoff id %q", got, id)
	}
	// §1.1: the fields of the documented example, no more, no fewer.
	docKeys := jsonKeys(t, docJSONExample(t, "docs/notify-webhook.md", "### 1.1 "))
	gotKeys := jsonKeys(t, hook.Body)
	slices.Sort(docKeys)
	slices.Sort(gotKeys)
	if diff := cmp.Diff(docKeys, gotKeys); diff != "" {
		t.Errorf("handoff.requested keys (-doc +sent):\n%s\nsent %s", diff, hook.Body)
	}
	var body struct {
		Version   int    `json:"version"`
		Type      string `json:"type"`
		ID        string `json:"id"`
		Code      string `json:"code"`
		Queue     string `json:"queue"`
		Target    string `json:"target"`
		Reason    string `json:"reason"`
		CreatedAt string `json:"created_at"`
		Test      *bool  `json:"test"`
		User      struct {
			BotUserKey        string `json:"bot_user_key"`
			PlusfriendUserKey string `json:"plusfriend_user_key"`
		} `json:"user"`
		Context struct {
			MenuPath  []string          `json:"menu_path"`
			FAQMisses *int              `json:"faq_misses"`
			Turns     []map[string]any  `json:"turns"`
			Intake    map[string]string `json:"intake"`
		} `json:"context"`
		Links struct {
			Accept string `json:"accept"`
			End    string `json:"end"`
		} `json:"links"`
	}
	if err := json.Unmarshal(hook.Body, &body); err != nil {
		t.Fatalf("webhook body: %v\n%s", err, hook.Body)
	}
	linkBase := "http://" + m.AdminAddrBound() + "/a/"
	for _, c := range []struct {
		what string
		ok   bool
	}{
		{"version 1, type handoff.requested", body.Version == 1 && body.Type == "handoff.requested"},
		{"id the handoff's, and a code", body.ID == id && body.Code != ""},
		{"queue vip, target notify, reason menu", body.Queue == "vip" && body.Target == "notify" && body.Reason == "menu"},
		{"created_at RFC 3339 UTC seconds", docTimeRE.MatchString(body.CreatedAt)},
		{"test false", body.Test != nil && !*body.Test},
		{"user keys (pii: true)", body.User.BotUserKey == s.user && body.User.PlusfriendUserKey == "pf-"+s.user},
		{"menu_path to the vip menu", slices.Contains(body.Context.MenuPath, "account")},
		{"faq_misses a number", body.Context.FAQMisses != nil},
		{"turns (pii: true)", len(body.Context.Turns) > 0 && docTurnsOK(anySlice(body.Context.Turns))},
		{"intake as typed", cmp.Equal(body.Context.Intake, map[string]string{"order": "A-1001"})},
		{"links on the admin address", strings.HasPrefix(body.Links.Accept, linkBase) && strings.HasPrefix(body.Links.End, linkBase) && body.Links.Accept != body.Links.End},
	} {
		if !c.ok {
			t.Errorf("handoff.requested: want %s; got %s", c.what, hook.Body)
		}
	}

	// §3: the Slack text, its links not unfurled.
	var slack struct {
		Text        string `json:"text"`
		UnfurlLinks *bool  `json:"unfurl_links"`
		UnfurlMedia *bool  `json:"unfurl_media"`
	}
	if err := json.Unmarshal(recv.at("/slack")[0].Body, &slack); err != nil {
		t.Fatal(err)
	}
	wantText := regexp.MustCompile(`^` + regexp.QuoteMeta("[상담 요청] 큐 vip · 상담번호 "+body.Code+"\norder: A-1001\n수락: <"+body.Links.Accept+"|상담 시작>\n종료: <"+body.Links.End+"|상담 종료>") + `$`)
	if !wantText.MatchString(slack.Text) || slack.UnfurlLinks == nil || *slack.UnfurlLinks || slack.UnfurlMedia == nil || *slack.UnfurlMedia {
		t.Errorf("slack: got %s, want text matching %s and unfurl_links, unfurl_media false", recv.at("/slack")[0].Body, wantText)
	}

	// §2: GET on a link changes nothing and answers a page with one button
	// that POSTs to the link; the POST moves the conversation and answers a
	// page (the default texts of its table); following one again is
	// harmless (no button: the page says what happened); a forged link is
	// 403 and changes nothing.
	// The MAC's first character is forged: its last one carries padding
	// bits the base64 decoder ignores, so changing it may leave the MAC
	// as it was (and the link valid).
	mac := strings.LastIndex(body.Links.Accept, ".") + 1
	first := "A"
	if body.Links.Accept[mac:mac+1] == first {
		first = "B"
	}
	forged := body.Links.Accept[:mac] + first + body.Links.Accept[mac+1:]
	before := fsm.StateWaiting
	for _, step := range []struct {
		link   string
		button string // the GET page's button, "" for none
		status int
		page   string
		want   fsm.State
	}{
		{forged, "", http.StatusForbidden, "링크가 올바르지 않거나 만료되었습니다.", fsm.StateWaiting},
		{body.Links.Accept, "상담 시작하기", http.StatusOK, "상담을 시작했습니다 (상담번호 " + body.Code + ")", fsm.StateHuman},
		{body.Links.Accept, "", http.StatusOK, "이미 수락된 상담입니다 (상담번호 " + body.Code + ")", fsm.StateHuman},
		{body.Links.End, "상담 종료하기", http.StatusOK, body.Code, fsm.StateBot},
	} {
		method := http.MethodGet
		for {
			req, _ := http.NewRequest(method, step.link, nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if method == http.MethodGet && step.button != "" {
				// The GET page: the handoff's code, a button, nothing changed.
				if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") ||
					!strings.Contains(string(page), body.Code) || !strings.Contains(string(page), linkButton+step.button+"</button>") {
					t.Errorf("GET link: got %d %q %s, want 200 text/html with %s and the button %q", resp.StatusCode, resp.Header.Get("Content-Type"), page, body.Code, step.button)
				}
				s.wantState(before)
				method = http.MethodPost // the agent presses the button
				continue
			}
			if resp.StatusCode != step.status || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(page), step.page) ||
				strings.Contains(string(page), "<form") {
				t.Errorf("%s link: got %d %q %s, want %d text/html with %q and no button", method, resp.StatusCode, resp.Header.Get("Content-Type"), page, step.status, step.page)
			}
			break
		}
		s.wantState(step.want)
		before = step.want
	}

	// §1.4 and §3: the end link ended the accepted handoff: one signed
	// handoff.closed to the webhook (send_closed: true in the example), with
	// exactly the documented fields, and one line to Slack (on by default).
	hookClosed, slackClosed := docClosedPosts(t, recv, id)
	if err := docVerify(docNotifySecret, hookClosed.Header.Get(docSignatureHeader), hookClosed.Body, time.Now()); err != nil {
		t.Errorf("handoff.closed signature: %v", err)
	}
	docKeys = jsonKeys(t, docJSONExample(t, "docs/notify-webhook.md", "### 1.4 "))
	gotKeys = jsonKeys(t, hookClosed.Body)
	slices.Sort(docKeys)
	slices.Sort(gotKeys)
	if diff := cmp.Diff(docKeys, gotKeys); diff != "" {
		t.Errorf("handoff.closed keys (-doc +sent):\n%s\nsent %s", diff, hookClosed.Body)
	}
	closed := docClosedBody(t, hookClosed.Body)
	if closed.Type != "handoff.closed" || closed.ID != id || closed.Code != body.Code || closed.Queue != "vip" || closed.Target != "notify" ||
		closed.EndReason != "agent_link" || !closed.Accepted || !docTimeRE.MatchString(closed.AcceptedAt) || !docTimeRE.MatchString(closed.EndedAt) ||
		closed.AcceptedAt > closed.EndedAt || closed.Test {
		t.Errorf("handoff.closed: got %s, want type handoff.closed of %s (%s, vip, notify), end_reason agent_link, accepted at and ended at RFC 3339, test false", hookClosed.Body, id, body.Code)
	}
	if got, want := docSlackText(t, slackClosed.Body), "[상담 종료] 큐 vip · 상담번호 "+body.Code+": 상담원이 종료했어요 (수락된 상담)"; got != want {
		t.Errorf("slack handoff.closed: got %q, want %q", got, want)
	}

	// A user who cancels while waiting: handoff.closed, not accepted.
	sc := newSession(t, m, clock, "u-doc-notify-cancel")
	sc.welcome()
	toWaiting(sc)
	cid, _, _, _ := sc.handoff()
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		if n := len(docPostsKeyed(recv, "/slack", cid)); n != 1 {
			return fmt.Errorf("slack got %d posts of the request %s, want 1", n, cid)
		}
		return nil
	})
	sc.tap("상담 취소")
	sc.wantState(fsm.StateBot)
	hookClosed, slackClosed = docClosedPosts(t, recv, cid)
	closed = docClosedBody(t, hookClosed.Body)
	if closed.ID != cid || closed.EndReason != "user_cancel" || closed.Accepted || closed.AcceptedAt != "" || !docTimeRE.MatchString(closed.EndedAt) {
		t.Errorf("handoff.closed of a cancel: got %s, want end_reason user_cancel, accepted false, no accepted_at", hookClosed.Body)
	}
	if got := docSlackText(t, slackClosed.Body); !strings.HasSuffix(got, ": 고객이 취소했어요") || strings.Contains(got, "수락된 상담") {
		t.Errorf("slack handoff.closed of a cancel: got %q, want it to end with \": 고객이 취소했어요\"", got)
	}

	// §1.2: with every queue closed (admin API), a user leaves a message:
	// ticket.created, signed, keyed by the ticket id, with exactly the
	// fields of the documented example (pii: true, so the user too; the
	// number comes with a wish for a text, so contact_preference too).
	if code, out := adminSend(t, m, http.MethodPost, "/admin/hours/override", `{"queue":"*","mode":"closed"}`); code != http.StatusOK {
		t.Fatalf("close every queue: got %d %s", code, out)
	}
	tk := newSession(t, m, clock, "u-doc-notify-ticket").leaveTicket("환불 문의드려요", "010-1234-5678로 문자 주세요")
	var ticketPost docRequest
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		for _, r := range recv.at("/hook") {
			if r.Header.Get("Idempotency-Key") == tk.ID {
				ticketPost = r
				return nil
			}
		}
		return fmt.Errorf("no webhook post with Idempotency-Key %s", tk.ID)
	})
	if err := docVerify(docNotifySecret, ticketPost.Header.Get(docSignatureHeader), ticketPost.Body, time.Now()); err != nil {
		t.Errorf("ticket.created signature: %v", err)
	}
	docKeys = jsonKeys(t, docJSONExample(t, "docs/notify-webhook.md", "### 1.2 "))
	gotKeys = jsonKeys(t, ticketPost.Body)
	slices.Sort(docKeys)
	slices.Sort(gotKeys)
	if diff := cmp.Diff(docKeys, gotKeys); diff != "" {
		t.Errorf("ticket.created keys (-doc +sent):\n%s\nsent %s", diff, ticketPost.Body)
	}
	var tb map[string]any
	if err := json.Unmarshal(ticketPost.Body, &tb); err != nil {
		t.Fatal(err)
	}
	// One handoff.closed per handoff and sink, by now too.
	for _, hid := range []string{id, cid} {
		for _, path := range []string{"/hook", "/slack"} {
			if n := len(docPostsKeyed(recv, path, hid+":closed")); n != 1 {
				t.Errorf("%s got %d handoff.closed posts of %s, want 1", path, n, hid)
			}
		}
	}
	if tb["type"] != "ticket.created" || tb["id"] != tk.ID || tb["code"] != tk.Code || tb["reason"] != "user_message" || tb["has_contact"] != true || tb["contact_preference"] != "sms" || strings.Contains(string(ticketPost.Body), "01012345678") || strings.Contains(string(ticketPost.Body), "1234-5678") {
		t.Errorf("ticket.created: got %s, want type ticket.created, id %s, code %s, reason user_message, has_contact true, contact_preference sms and never the number", ticketPost.Body, tk.ID, tk.Code)
	}
	// The user asked for a human out of hours, then left the message: the
	// origin says so, to the webhook and in Slack's words (§1.2, §3).
	if tb["origin"] != fsm.TicketOriginAfterHours {
		t.Errorf("ticket.created: got origin %v, want %q", tb["origin"], fsm.TicketOriginAfterHours)
	}
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		posts := docPostsKeyed(recv, "/slack", tk.ID)
		if len(posts) == 0 {
			return fmt.Errorf("no slack post with Idempotency-Key %s", tk.ID)
		}
		if got, want := docSlackText(t, posts[0].Body), "[메시지 접수] 상담 시간 외 상담 요청 · 큐 "; !strings.HasPrefix(got, want) {
			t.Errorf("slack ticket: got %q, want it to open with %q", got, want)
		}
		return nil
	})
}

// docPostsKeyed returns the posts recv got on path with Idempotency-Key key.
func docPostsKeyed(recv *docReceiver, path, key string) []docRequest {
	var out []docRequest
	for _, r := range recv.at(path) {
		if r.Header.Get("Idempotency-Key") == key {
			out = append(out, r)
		}
	}
	return out
}

// docClosedPosts waits for the webhook's and Slack's handoff.closed posts
// of handoff id (Idempotency-Key "<id>:closed") and returns the first of
// each.
func docClosedPosts(t *testing.T, recv *docReceiver, id string) (hook, slack docRequest) {
	t.Helper()
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		h, s := docPostsKeyed(recv, "/hook", id+":closed"), docPostsKeyed(recv, "/slack", id+":closed")
		if len(h) == 0 || len(s) == 0 {
			return fmt.Errorf("handoff.closed of %s: %d webhook and %d slack posts, want one each", id, len(h), len(s))
		}
		hook, slack = h[0], s[0]
		return nil
	})
	return hook, slack
}

// docClosed is a handoff.closed body (notify-webhook.md §1.4).
type docClosed struct {
	Type       string `json:"type"`
	ID         string `json:"id"`
	Code       string `json:"code"`
	Queue      string `json:"queue"`
	Target     string `json:"target"`
	EndReason  string `json:"end_reason"`
	EndedAt    string `json:"ended_at"`
	Accepted   bool   `json:"accepted"`
	AcceptedAt string `json:"accepted_at"`
	Test       bool   `json:"test"`
}

func docClosedBody(t *testing.T, raw []byte) docClosed {
	t.Helper()
	var c docClosed
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatalf("handoff.closed body: %v\n%s", err, raw)
	}
	return c
}

// docSlackText returns the text of a Slack post.
func docSlackText(t *testing.T, raw []byte) string {
	t.Helper()
	var b struct {
		Text string `json:"text"`
	}
	if err := json.Unmarshal(raw, &b); err != nil {
		t.Fatalf("slack body: %v\n%s", err, raw)
	}
	return b.Text
}

// anySlice converts turns decoded as maps to the []any docTurnsOK takes.
func anySlice(ms []map[string]any) []any {
	out := make([]any, len(ms))
	for i, m := range ms {
		out[i] = m
	}
	return out
}

// TestNotifyWebhookTimeoutAndRetriesAsDocumented holds notify-webhook.md
// §1.3 beyond the first retry, with the router's retry delay and the sink
// timeout shortened (Main.RouterRetryDelay, Main.NotifyTimeout; the doc's
// own numbers are checked against the defaults, the retry schedule by
// handoff's TestRouterRetryScheduleAsDocumented): a webhook that does not
// answer in time failed that attempt and is retried, as are a redirect
// (never followed) and 5xx answers, each attempt signed anew with the same
// Idempotency-Key, until a 2xx, after which that handoff is never sent to
// it again, nor to the Slack sink that answered 2xx the first time; a sink
// that never answers 2xx gets ten attempts in all, and then a router_poison
// ticket records the handoff; when that handoff ends, only the sink that
// was told of it hears (handoff.closed, §1.4).
func TestNotifyWebhookTimeoutAndRetriesAsDocumented(t *testing.T) {
	t.Parallel()
	sec := docSection(t, "docs/notify-webhook.md", "### 1.3 ")
	if want := fmt.Sprintf("no answer within %d s is a failure", int(handoff.DefaultSinkTimeout/time.Second)); !strings.Contains(strings.Join(strings.Fields(sec), " "), want) {
		t.Errorf("notify-webhook.md §1.3 does not say %q (handoff.DefaultSinkTimeout)", want)
	}
	if handoff.DefaultMaxDeliver != 10 || !strings.Contains(sec, "Ten attempts in") {
		t.Errorf("notify-webhook.md §1.3 says ten attempts; handoff.DefaultMaxDeliver is %d", handoff.DefaultMaxDeliver)
	}
	// A second: the retry after the unanswered post is signed in a later
	// second than it, so a signature made anew differs from the first.
	const timeout = time.Second
	recv := newDocReceiver(t)
	recv.answer("/hook", docHang, http.StatusFound, http.StatusInternalServerError, http.StatusServiceUnavailable) // then 200
	env := testEnv{}
	env["BATON_NOTIFY_URL"] = recv.srv.URL + "/hook"
	env["BATON_NOTIFY_SECRET"] = docNotifySecret
	env["BATON_SLACK_URL"] = recv.srv.URL + "/slack"
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	clock := &testClock{t: mondayMorning}
	m := startBatonLogging(t, shippedExample, t.TempDir(), clock, slog.New(slog.DiscardHandler), func(m *Main) {
		m.NotifyTimeout, m.RouterRetryDelay = timeout, 20*time.Millisecond
	}, env.configure)
	// posts returns the webhook posts about handoff id.
	posts := func(id string) []docRequest {
		var out []docRequest
		for _, r := range recv.at("/hook") {
			if r.Header.Get("Idempotency-Key") == id {
				out = append(out, r)
			}
		}
		return out
	}
	var hookName string // the webhook's delivery records (docs/notify-webhook.md §5)
	for _, n := range m.Config.Notify {
		if n.Kind == handoff.SinkWebhook {
			hookName = handoff.SinkName(n)
		}
	}
	delivered := func(id string) bool {
		_, h := adminCall(t, m, http.MethodGet, "/admin/handoffs/"+id)
		d, _ := h["deliveries"].(map[string]any)
		return d[hookName] != nil
	}

	s := newSession(t, m, clock, "u-doc-notify-timeout")
	s.welcome()
	toWaiting(s)
	id, _, _, _ := s.handoff()
	testutil.CheckFor(t, 10*time.Second, 10*time.Millisecond, func() error {
		if !delivered(id) {
			return fmt.Errorf("webhook delivery of %s not recorded; %d posts so far", id, len(posts(id)))
		}
		return nil
	})
	got := posts(id)
	if len(got) != 5 {
		t.Fatalf("got %d webhook posts, want 5 (no answer, 302, 500, 503, then 200)", len(got))
	}
	// The receiver stamps a post when its handler starts, after the client's
	// timeout began: a post that reached it late (a loaded machine) makes the
	// gap look shorter than the timeout by that delay. A tenth of the timeout
	// allows for it and still tells a timed-out post from an immediate retry
	// (the router's retry delay here is 20 ms).
	if gap := got[1].At.Sub(got[0].At); gap < timeout*9/10 {
		t.Errorf("the retry of the unanswered post came %v after it, want after the %v timeout", gap, timeout)
	}
	var stamps []int64
	for i, p := range got {
		if err := docVerify(docNotifySecret, p.Header.Get(docSignatureHeader), p.Body, time.Now()); err != nil {
			t.Errorf("post %d: signature: %v", i+1, err)
		}
		var ts int64
		if _, err := fmt.Sscanf(p.Header.Get(docSignatureHeader), "t=%d,", &ts); err != nil {
			t.Errorf("post %d: signature header %q: %v", i+1, p.Header.Get(docSignatureHeader), err)
		}
		stamps = append(stamps, ts)
	}
	if stamps[1] <= stamps[0] {
		t.Errorf("signature times %v: want the retry after the timeout signed anew, in a later second", stamps)
	}
	if n := len(recv.at("/redirected")); n != 0 {
		t.Errorf("the 302 was followed %d times, want never", n)
	}
	if n := len(recv.at("/slack")); n != 1 {
		t.Errorf("slack got %d posts, want 1: it answered 2xx the first time", n)
	}

	// A webhook that keeps failing: ten attempts, then a router_poison
	// ticket (not sent to the sinks: Slack showed the request, §1.3).
	failures := make([]int, handoff.DefaultMaxDeliver+2)
	for i := range failures {
		failures[i] = http.StatusBadGateway
	}
	recv.answer("/hook", failures...)
	s2 := newSession(t, m, clock, "u-doc-notify-given-up")
	s2.welcome()
	toWaiting(s2)
	id2, _, _, _ := s2.handoff()
	testutil.CheckFor(t, 10*time.Second, 10*time.Millisecond, func() error {
		code, list := adminCall(t, m, http.MethodGet, "/admin/tickets")
		if code != http.StatusOK || !docListHas(list["tickets"], map[string]any{"reason": "router_poison", "handoff_id": id2}) {
			return fmt.Errorf("no router_poison ticket for %s yet (%d posts): %d %v", id2, len(posts(id2)), code, list)
		}
		return nil
	})
	if n := len(posts(id2)); n != handoff.DefaultMaxDeliver {
		t.Errorf("got %d webhook posts for a handoff the sink kept failing, want %d", n, handoff.DefaultMaxDeliver)
	}
	if delivered(id2) {
		t.Errorf("handoff %s: a webhook delivery is recorded, want none", id2)
	}

	// §1.4: the user then cancels. Slack showed the request, so it hears
	// the end; the webhook never answered 2xx for it, so it hears nothing
	// (the router tells the sinks in order: the webhook before Slack).
	s2.tap("상담 취소")
	s2.wantState(fsm.StateBot)
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		if n := len(docPostsKeyed(recv, "/slack", id2+":closed")); n != 1 {
			return fmt.Errorf("slack got %d handoff.closed posts of %s, want 1", n, id2)
		}
		return nil
	})
	if n := len(docPostsKeyed(recv, "/hook", id2+":closed")); n != 0 {
		t.Errorf("the webhook never told of %s got %d handoff.closed posts, want none", id2, n)
	}
}
