package handoff

import (
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/store"
)

// TestSlackTicketPrefixesFromTexts: the Slack sink heads each ticket with
// the config's texts.slack_ticket_* prefix, read for each message (so a
// reload applies), and SetSinkTexts reaches only the Slack sinks.
func TestSlackTicketPrefixesFromTexts(t *testing.T) {
	x := configs.DefaultTexts()
	x.SlackTicketMessage, x.SlackTicketDealerFailed = "[새 문의]", "[딜러 장애]"
	x.SlackTicketRouterPoison, x.SlackTicketNoSink, x.SlackTicketUnknown = "[알림 포기]", "[싱크 없음]", "[검토]"
	x.SlackTicketNotifyFailed = "[아무도 못 받음]"
	current := x
	sinks := NewSinks([]configs.Notify{{Kind: SinkWebhook, URL: "http://127.0.0.1:1/hook"},
		{Kind: SinkSlack, URL: "http://127.0.0.1:1/slack"}}, nil, nil)
	SetSinkTexts(sinks, func() configs.Texts { return current })
	slack, ok := sinks[1].(*SlackSink)
	if !ok {
		t.Fatalf("got sink %T, want *SlackSink", sinks[1])
	}
	for _, tt := range []struct{ reason, want string }{
		{store.TicketReasonUserMessage, "[새 문의] 큐 general"},
		{ticketDealerFailed, "[딜러 장애] 큐 general"},
		{ticketRouterPoison, "[알림 포기] 큐 general"},
		{ticketNoSink, "[싱크 없음] 큐 general"},
		{ticketNotifyFailed, "[아무도 못 받음] 큐 general"},
		{"new_reason", "[검토] 사유 new_reason"},
	} {
		b, err := slack.TicketBody(TicketNotice{Ticket: store.Ticket{ID: "01TICKET", Reason: tt.reason, Queue: "general"}})
		if err != nil {
			t.Fatal(err)
		}
		if got := slackText(t, b); !strings.HasPrefix(got, tt.want) {
			t.Errorf("reason %s: got %q, want it to start with %q", tt.reason, got, tt.want)
		}
	}

	current.SlackTicketMessage = "[메시지 도착]" // a reload
	b, err := slack.TicketBody(TicketNotice{Ticket: store.Ticket{ID: "01TICKET", Reason: store.TicketReasonUserMessage}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := slackText(t, b), "[메시지 도착] 티켓 01TICKET"; got != want {
		t.Errorf("after a reload: got %q, want %q", got, want)
	}
}
