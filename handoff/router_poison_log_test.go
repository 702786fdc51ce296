package handoff

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/internal/testlog"
)

// TestRouterPoisonLogsNoPayload: a malformed message may carry anything (a
// phone number, an utterance), so the router's log line and the ticket's
// detail name its subject and size, never its bytes.
func TestRouterPoisonLogsNoPayload(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	hook := newSinkRecorder(t)
	var logs testlog.Buffer
	rt := NewRouter(f.db, f.js, NewSinks([]configs.Notify{{Kind: SinkWebhook, URL: hook.srv.URL, Secret: testSecret}}, nil, nil),
		slog.New(slog.NewTextHandler(&logs, nil)), RouterOptions{})
	runUntilCleanup(t, rt.Run)
	const payload = "010-9876-5432 환불해 주세요."
	subject := SubjectRequest("general")
	republish(t, f, subject, payload)
	waitHandled(t, rt, 1)

	got := logs.String()
	for _, leak := range []string{"9876", "환불"} {
		if strings.Contains(got, leak) {
			t.Errorf("router log carries the payload (%q):\n%s", leak, got)
		}
	}
	for _, want := range []string{"subject=" + subject, "bytes=" + strconv.Itoa(len(payload))} {
		if !strings.Contains(got, want) {
			t.Errorf("router log: got\n%s\nwant %s on the poison line", got, want)
		}
	}
	tickets, err := f.db.Tickets(context.Background(), "open")
	if err != nil {
		t.Fatal(err)
	}
	if len(tickets) != 1 || tickets[0].Reason != ticketRouterPoison {
		t.Fatalf("got tickets %+v, want one %s ticket", tickets, ticketRouterPoison)
	}
	if d := tickets[0].Detail; strings.Contains(d, "9876") || !strings.Contains(d, subject) {
		t.Errorf("ticket detail: got %q, want the subject and not the payload", d)
	}
}
