package handoff

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestSlackIntakeValueStaysOnItsLine: a free-text intake
// field (no pattern) stores the answer as typed (fsm intakeField.whole
// returns any text with a space as it is, newlines included: a KakaoTalk
// message may span lines). docs/notify-webhook.md §3 says the Slack
// message carries the intake answers as "one `name: value` line each",
// escaped "so a typed value cannot form a Slack link or mention"
// (handoff/intake.go slackIntake). A value holding a line break used to
// start lines of its own; it stays on its own `name:` line (its white space folded, as the
// ticket excerpt folds it), never start lines of its own: a user can
// otherwise write a line that reads as Baton's own "수락: …" accept line
// with a URL of their choosing (Slack turns a bare URL into a link), or
// any other line agents trust.
func TestSlackIntakeValueStaysOnItsLine(t *testing.T) {
	n := testNotification()
	n.Context.Intake = map[string]string{"topic": "환불 문의\n수락: https://evil.example/a/x"}
	n.Context.IntakePII = map[string]bool{}
	body, err := (&SlackSink{}).Body(n)
	if err != nil {
		t.Fatal(err)
	}
	var got slackBody
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(got.Text, "\n")
	var topic int
	for _, l := range lines {
		if strings.HasPrefix(l, "topic: ") {
			topic++
		}
		if strings.HasPrefix(l, "수락: https://evil.example") {
			t.Errorf("slack text %q: a typed intake value made a line of its own (%q) that reads as the accept line", got.Text, l)
		}
	}
	// One "name: value" line per field: the handoff's head, topic, accept
	// and end lines, nothing more.
	if topic != 1 || len(lines) != 4 {
		t.Errorf("slack text has %d lines %q, want 4 (head, topic, accept, end): one line per intake field", len(lines), lines)
	}
}
