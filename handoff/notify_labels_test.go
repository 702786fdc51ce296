package handoff

import (
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/store"
)

// englishSlackTexts are the config's Slack texts written in English, so a
// label still hard-coded in Korean shows in the message.
func englishSlackTexts() configs.Texts {
	x := configs.DefaultTexts()
	x.SlackTicketMessage, x.SlackTicketDealerFailed = "[message]", "[dealer failed]"
	x.SlackTicketRouterPoison, x.SlackTicketNoSink, x.SlackTicketUnknown = "[gave up]", "[no sink]", "[check]"
	x.SlackTicketNotifyFailed = "[reached no one]"
	x.SlackHandoff, x.SlackQueue, x.SlackHandoffCode, x.SlackTicketCode = "[handoff]", "queue", "handoff code", "ticket code"
	x.SlackTicketID, x.SlackReason, x.SlackTest = "ticket", "reason", "(test)"
	x.SlackAccept, x.SlackAcceptLink, x.SlackEnd, x.SlackEndLink = "Accept", "take it <now>", "End", "end it"
	return x
}

// TestSlackLabelsFromTexts: every word around the queue, codes, ids and
// links of a Slack message — handoff or ticket, test traffic included —
// comes from the config's texts.slack_*: with English texts no Hangul is
// left, and the link texts are escaped so they cannot close the link.
func TestSlackLabelsFromTexts(t *testing.T) {
	x := englishSlackTexts()
	slack := &SlackSink{Texts: func() configs.Texts { return x }}
	var got []string
	h := store.Handoff{ID: "01HANDOFF", Code: "A7K2", Queue: "vip", Test: true}
	b, err := slack.Body(Notification{Handoff: h, AcceptURL: "https://b.example/a/1", EndURL: "https://b.example/a/2",
		Context: Context{Intake: map[string]string{"order": "A-1001"}}})
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, slackText(t, b))
	for _, tk := range []store.Ticket{
		{ID: "01T1", Reason: store.TicketReasonUserMessage, Queue: "general", Code: "B3Q9", Test: true},
		{ID: "01T2", Reason: ticketDealerFailed, Queue: "vip", Code: "A7K2"},
		{ID: "01T3", Reason: "new_reason", Code: "C4R8"},
	} {
		b, err := slack.TicketBody(TicketNotice{Ticket: tk})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, slackText(t, b))
	}
	want := []string{
		"[handoff] queue vip · handoff code A7K2 (test)\norder: A-1001\n" +
			"Accept: <https://b.example/a/1|take it &lt;now&gt;>\nEnd: <https://b.example/a/2|end it>",
		"[message] queue general · ticket code B3Q9 · ticket 01T1 (test)",
		"[dealer failed] queue vip · handoff code A7K2 · ticket 01T2",
		"[check] reason new_reason · handoff code C4R8 · ticket 01T3",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Slack texts (-want +got):\n%s", diff)
	}
	for _, s := range got {
		for _, r := range s {
			if unicode.Is(unicode.Hangul, r) {
				t.Errorf("got %q, want no Korean with English texts", s)
				break
			}
		}
	}
}

// TestSlackLabelsDefault: with the default texts the Slack handoff message
// reads as before the labels moved to the config.
func TestSlackLabelsDefault(t *testing.T) {
	b, err := (&SlackSink{}).Body(Notification{Handoff: store.Handoff{ID: "01H", Code: "A7K2", Queue: "general", Test: true},
		AcceptURL: "https://b.example/a/1", EndURL: "https://b.example/a/2"})
	if err != nil {
		t.Fatal(err)
	}
	want := "[상담 요청] 큐 general · 상담번호 A7K2 (테스트)\n수락: <https://b.example/a/1|상담 시작>\n종료: <https://b.example/a/2|상담 종료>"
	if got := slackText(t, b); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
