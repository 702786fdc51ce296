//go:build audit

package skill_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/skill"
)

// TestAuditGroupFallbackHasNoOperatorButton shows a deviation: the stateless
// fallback (skill/render.go:134 Fallback, served by skill/server.go
// answerFallback on every error path) always carries an "operator" (상담 연결)
// button, also for a group (team-chat) bot. DESIGN §3 step 2 says group
// chats "never escalate", the engine answers texts.group_no_handoff there,
// and the spec lists no 상담 연결 plugin for group bots (§3.6 lists the
// group-bot actions, §3.11 what they lack; UNVERIFIED = conservative on
// output). A group turn past the hard deadline shows the button anyway.
func TestAuditGroupFallbackHasNoOperatorButton(t *testing.T) {
	cfg, e, db := realParts(t)
	s := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, slowLoads{db, 300 * time.Millisecond}, handoff.Effects{}, nil, skill.Options{
		SoftDeadline: 50 * time.Millisecond, HardDeadline: 100 * time.Millisecond, CallbackText: cfg.Texts.CallbackWait,
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
	})
	var p map[string]any
	if err := json.Unmarshal(payload("u-group-slow", "배송 조회"), &p); err != nil {
		t.Fatal(err)
	}
	p["userRequest"].(map[string]any)["chat"] = map[string]any{"id": "room1", "type": "botGroupKey", "properties": map[string]any{"botGroupKey": "room1"}}
	body, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	code, out := post(t, s.Handler(), body)
	if code != 200 || strings.Contains(string(out), `"action":"operator"`) {
		t.Fatalf("group turn past the hard deadline: got %d %s, want 200 without an operator button", code, out)
	}
}
