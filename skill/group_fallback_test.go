package skill_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/kakaospec"
	"github.com/baton-chat/baton/skill"
)

// TestGroupFallbackHasNoOperatorButton checks that a group (team chat)
// turn past the hard deadline answers the group fallback, the configured
// text without an operator (상담 연결) button, since group chats never
// escalate, while a 1:1 turn still gets the fallback with the button
// (Kakao audit finding 7).
func TestGroupFallbackHasNoOperatorButton(t *testing.T) {
	cfg, e, db := realParts(t)
	const groupText = "그룹 채팅 폴백 문구입니다."
	s := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, slowLoads{db, 300 * time.Millisecond}, handoff.Effects{}, nil, skill.Options{
		SoftDeadline: 50 * time.Millisecond, HardDeadline: 100 * time.Millisecond, CallbackText: cfg.Texts.CallbackWait,
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
		GroupFallback: groupText,
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
	if want := skill.GroupFallback(groupText); !bytes.Equal(out, want) {
		t.Fatalf("group turn past the hard deadline: got %s, want the group fallback %s", out, want)
	}
	if err := kakaospec.Validate(out); err != nil {
		t.Fatalf("group fallback is not a valid SkillResponse: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), groupText) {
		t.Fatalf("got %s, want the configured text %q", out, groupText)
	}

	code, out = post(t, s.Handler(), payload("u-one-slow", "배송 조회"))
	if code != 200 || !bytes.Equal(out, fallbackOf(cfg)) {
		t.Fatalf("1:1 turn past the hard deadline: got %d %s, want the fallback with the operator button", code, out)
	}
}

// TestGroupFallbackDefault checks that a blank group fallback text gives a
// valid bubble without a button.
func TestGroupFallbackDefault(t *testing.T) {
	out := skill.GroupFallback("  ")
	if err := kakaospec.Validate(out); err != nil {
		t.Fatalf("got invalid %s: %v", out, err)
	}
	if strings.Contains(string(out), `"buttons"`) {
		t.Fatalf("got %s, want no buttons", out)
	}
}
