//go:build audit

package main

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/testlog"
)

// TestAuditExternalHandoffLogsUserKey demonstrates an audit finding (BUG):
// README and docs/ops.md promise "logs carry no utterance, user key or
// callback URL", but a dealer event that opens an external handoff (a user
// who reached 상담톡 through the channel's own menu, DESIGN §6) is logged
// by handoff/dealer_events.go openExternal as "external handoff opened"
// with "user": <botUserKey> (and "dealer event: user has another open
// handoff" does the same). TestLogsCarryNoPersonalData does not reach
// this path.
func TestAuditExternalHandoffLogsUserKey(t *testing.T) {
	t.Setenv("BATON_DEALER_URL", "http://127.0.0.1:1/baton")
	t.Setenv("BATON_DEALER_SECRET", e2eDealerSecret)
	const user = "u-secret-ext-5Kp3"
	var logs testlog.Buffer
	m := startBatonLogging(t, exampleConfig, t.TempDir(), nil,
		slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if code, out := postSkill(t, m, turn{User: user, Block: "웰컴 블록", IsFriend: true}.payload(), nil); code != http.StatusOK {
		t.Fatalf("welcome: got %d: %s", code, out)
	}
	code := dealerEvent(t, m, e2eDealerSecret, map[string]any{
		"version": 1, "id": "ev-audit-ext-1", "type": "session.started",
		"user": map[string]any{"plusfriend_user_key": "pf-" + user},
		"at":   time.Now().UTC().Format(time.RFC3339), "agent": map[string]any{"id": "a1", "name": "김상담"},
	})
	if code != http.StatusOK {
		t.Fatalf("dealer event: got %d, want 200", code)
	}
	if !strings.Contains(logs.String(), "external handoff opened") {
		t.Fatalf("no external handoff was opened; logs:\n%s", logs.String())
	}
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, user) {
			t.Errorf("log line carries the user key %q: %s", user, line)
		}
	}
}
