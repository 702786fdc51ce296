package handoff

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// slackText decodes a Slack body's text.
func slackText(t *testing.T, body []byte) string {
	t.Helper()
	var b slackBody
	if err := json.Unmarshal(body, &b); err != nil {
		t.Fatalf("slack body %s: %v", body, err)
	}
	return b.Text
}

// TestSlackTicketHeads: each ticket reason opens the Slack message with its
// own prefix and names its code for what it is (접수번호 of a message the
// user left, the handoff's 상담번호 otherwise); an unknown reason is said,
// never passed off as a user's message.
func TestSlackTicketHeads(t *testing.T) {
	for _, tt := range []struct {
		reason, queue, code, want string
	}{
		{store.TicketReasonUserMessage, "general", "B3Q9", "[메시지 접수] 큐 general · 접수번호 B3Q9 · 티켓 01TICKET"},
		{ticketDealerFailed, "vip", "A7K2", "[상담톡 연결 실패] 큐 vip · 상담번호 A7K2 · 티켓 01TICKET"},
		{ticketRouterPoison, "general", "", "[전달 실패] 큐 general · 티켓 01TICKET"},
		{ticketRouterPoison, "", "", "[전달 실패] 티켓 01TICKET"},
		{ticketNoSink, "general", "", "[알림 설정 없음] 큐 general · 티켓 01TICKET"},
		{ticketNotifyFailed, "general", "C4M8", "[상담 요청 미전달] 큐 general · 상담번호 C4M8 · 티켓 01TICKET"},
		{"new<reason>", "general", "A7K2", "[확인 필요] 사유 new&lt;reason&gt; · 큐 general · 상담번호 A7K2 · 티켓 01TICKET"},
	} {
		t.Run(tt.reason+"/"+tt.queue, func(t *testing.T) {
			tk := store.Ticket{ID: "01TICKET", Reason: tt.reason, Queue: tt.queue, Code: tt.code}
			b, err := (&SlackSink{}).TicketBody(TicketNotice{Ticket: tk})
			if err != nil {
				t.Fatal(err)
			}
			if got := slackText(t, b); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestSlackTicketSaysANumberWasLeft: the Slack message of a ticket whose
// user left a number to be called back on says so on a line of its own
// (texts.slack_has_contact, the webhook's has_contact), so an agent who
// reads only Slack knows the user expects a call; the number itself is never
// in it, and a ticket without one has no such line.
func TestSlackTicketSaysANumberWasLeft(t *testing.T) {
	x := configs.DefaultTexts()
	x.SlackHasContact = "번호 있음 <관리 API>"
	sink := &SlackSink{Texts: func() configs.Texts { return x }}
	for _, contact := range []string{"01CONTACT", ""} {
		tk := store.Ticket{ID: "01TICKET", Reason: store.TicketReasonUserMessage, Queue: "general", Code: "B3Q9",
			ContactID: contact, Message: "환불 문의"}
		b, err := sink.TicketBody(TicketNotice{Ticket: tk})
		if err != nil {
			t.Fatal(err)
		}
		text := slackText(t, b)
		if has, want := strings.Contains(text, "\n번호 있음 &lt;관리 API&gt;\n"), contact != ""; has != want {
			t.Errorf("contact %q: got %q, want the has-contact line: %v", contact, text, want)
		}
		if strings.Contains(text, contact+"\n") && contact != "" {
			t.Errorf("got %q, want no contact id", text)
		}
	}
}

// TestRouterTellsSlackADealerFailed: the dealer_failed ticket the wait timer
// opens (announced with ticket.created, as dealerUnanswered does) reaches
// the Slack sink through the real relay and router headed as a failed 상담톡
// request with the handoff's code, not as a message a user left.
func TestRouterTellsSlackADealerFailed(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	rt := startRouting(t, f, hook, slack, RouterOptions{RetryDelay: 50 * time.Millisecond})
	now := time.Now().UTC()
	h := f.escalate(t, "u-df", "notify", now) // the sinks hear of the handoff first: two Slack messages in all
	tk := store.Ticket{ID: store.NewID(now), HandoffID: h.ID, UserKey: h.UserKey, Queue: h.Queue, Code: h.Code,
		Reason: ticketDealerFailed, CreatedAt: now, Detail: "dealer happytalk did not acknowledge the handoff"}
	if _, err := f.db.OpenTicket(context.Background(), tk, store.OutboxMsg{
		ID: store.NewID(now), Subject: SubjectTicket(tk.ID, TicketCreated), Payload: []byte(tk.ID), CreatedAt: now,
	}); err != nil {
		t.Fatal(err)
	}
	var got string
	for _, r := range slack.wantCount(t, 2) {
		if text := slackText(t, r.Body); strings.Contains(text, tk.ID) {
			got = text
		}
	}
	if want := "[상담톡 연결 실패] 큐 general · 상담번호 " + h.Code + " · 티켓 " + tk.ID; got != want {
		t.Errorf("slack text of the ticket: got %q, want %q", got, want)
	}
	if strings.Contains(got, "메시지 접수") || strings.Contains(got, "u-df") {
		t.Errorf("slack text %q reads as a user's message or names the user", got)
	}
	waitHandled(t, rt, 2)
}

// TestTicketOriginOnTheWire: a user's ticket tells the sinks where the user
// left it: the webhook's ticket.created carries "origin" (absent when
// unknown, so a version 1 receiver sees the body it always did), and
// Slack's message opens, after the prefix, with the origin's phrase from
// the config's texts (texts.slack_origin_*), the origin itself for one
// this version has no phrase for, and nothing when unknown.
func TestTicketOriginOnTheWire(t *testing.T) {
	x := configs.DefaultTexts()
	x.SlackOriginFAQ, x.SlackOriginNoMatch, x.SlackOriginMenu = "FAQ 다음 <1>", "못 알아들음", "메뉴"
	x.SlackOriginComplaint, x.SlackOriginKeyword = "불만", "상담원 질문"
	x.SlackOriginWaitTimeout, x.SlackOriginMaxWaiting, x.SlackOriginAfterHours = "대기 초과", "인원 초과", "시간 외"
	slack := &SlackSink{Texts: func() configs.Texts { return x }}
	for _, tt := range []struct{ origin, phrase string }{
		{fsm.TicketOriginFAQ, "FAQ 다음 &lt;1&gt;"},
		{fsm.TicketOriginNoMatch, "못 알아들음"},
		{fsm.TicketOriginMenu, "메뉴"},
		{fsm.TicketOriginComplaint, "불만"},
		{fsm.TicketOriginKeyword, "상담원 질문"},
		{fsm.TicketOriginWaitTimeout, "대기 초과"},
		{fsm.TicketOriginMaxWaiting, "인원 초과"},
		{fsm.TicketOriginAfterHours, "시간 외"},
		{"from_the_future", "from_the_future"},
		{"", ""},
	} {
		tk := store.Ticket{ID: "01TICKET", Reason: store.TicketReasonUserMessage, Queue: "general", Code: "B3Q9",
			Message: "환불 문의", Origin: tt.origin}
		for _, pii := range []bool{true, false} {
			b, err := (&WebhookSink{PII: pii}).TicketBody(TicketNotice{Ticket: tk})
			if err != nil {
				t.Fatal(err)
			}
			var body map[string]any
			if err := json.Unmarshal(b, &body); err != nil {
				t.Fatal(err)
			}
			got, has := body["origin"]
			if tt.origin == "" && has {
				t.Errorf("webhook (pii %v) without an origin: got %s, want no \"origin\"", pii, b)
			}
			if tt.origin != "" && got != tt.origin {
				t.Errorf("webhook (pii %v), origin %q: got %s", pii, tt.origin, b)
			}
		}
		b, err := slack.TicketBody(TicketNotice{Ticket: tk})
		if err != nil {
			t.Fatal(err)
		}
		want := x.SlackTicketMessage + " " + x.SlackQueue + " general"
		if tt.phrase != "" {
			want = x.SlackTicketMessage + " " + tt.phrase + " · " + x.SlackQueue + " general"
		}
		if got := slackText(t, b); !strings.HasPrefix(got, want+" · ") {
			t.Errorf("slack, origin %q: got %q, want it to open with %q", tt.origin, got, want)
		}
	}
}
