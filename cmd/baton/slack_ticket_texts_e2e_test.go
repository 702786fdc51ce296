package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/testutil"
)

// withSlackTicketMessage sets texts.slack_ticket_message of the example
// config.
func withSlackTicketMessage(t *testing.T, prefix string) func(string) string {
	return func(s string) string {
		return replaceOnce(t, s, "\ntexts:\n", "\ntexts:\n  slack_ticket_message: \""+prefix+"\"\n")
	}
}

// TestSlackTicketPrefixFromConfig: the Slack sink opens a user's ticket
// with texts.slack_ticket_message, and a reload changes it for the next
// ticket without a restart.
func TestSlackTicketPrefixFromConfig(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	env.notify(hook, slack)
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, withSlackTicketMessage(t, "[새 문의]"))
	clock := &testClock{t: sundayNight}
	m := startBatonEnv(t, path, t.TempDir(), clock, env)

	slackSays := func(n int, prefix string) {
		t.Helper()
		testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
			if got := len(slack.requests()); got != n {
				return fmt.Errorf("slack got %d requests, want %d", got, n)
			}
			return nil
		})
		if body := slack.requests()[n-1].Body; !bytes.Contains(body, []byte(`"text":"`+prefix+` `)) {
			t.Errorf("slack message %d: got %s, want it to open with %q", n, body, prefix)
		}
	}
	newSession(t, m, clock, "u-slack-prefix-1").leaveTicket("환불 문의드립니다", "")
	slackSays(1, "[새 문의]")

	writeConfig(t, path, withSlackTicketMessage(t, "[메시지 도착]"))
	reloadOK(t, m)
	newSession(t, m, clock, "u-slack-prefix-2").leaveTicket("교환 문의드립니다", "")
	slackSays(2, "[메시지 도착]")
}
