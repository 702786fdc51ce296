package handoff

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestIntakeMaskedForSinksWithoutPII: a free-text intake field (no pattern,
// not pii) may hold a phone number; sinks without pii and Slack get it
// masked as turns are, pii sinks and dealers as typed.
func TestIntakeMaskedForSinksWithoutPII(t *testing.T) {
	const typed = "환불 건 010-1234-5678 로 연락"
	n := testNotification()
	n.Context.Intake["topic"] = typed
	webhook := func(personal bool) string {
		t.Helper()
		body, err := (&WebhookSink{PII: personal}).Body(n)
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Context struct {
				Intake map[string]string `json:"intake"`
			} `json:"context"`
		}
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatal(err)
		}
		return got.Context.Intake["topic"]
	}
	slack := func() string {
		t.Helper()
		body, err := (&SlackSink{}).Body(n)
		if err != nil {
			t.Fatal(err)
		}
		var got slackBody
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(got.Text, "\n") {
			if v, ok := strings.CutPrefix(line, "topic: "); ok {
				return v
			}
		}
		return ""
	}
	const masked = "환불 건 010-****-**** 로 연락"
	for _, tc := range []struct {
		sink, got, want string
	}{
		{"webhook pii: false", webhook(false), masked},
		{"slack", slack(), masked},
		{"webhook pii: true", webhook(true), typed},
		{"dealer", n.Context.wire(true).Intake["topic"], typed},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got topic %q, want %q", tc.sink, tc.got, tc.want)
		}
	}
}
