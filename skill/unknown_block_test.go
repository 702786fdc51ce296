package skill_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/skill"
)

// blockPayload is a turn from block name with utterance.
func blockPayload(user, block, utterance string) []byte {
	b, _ := json.Marshal(map[string]any{
		"intent":      map[string]any{"id": "b-" + block, "name": block},
		"userRequest": map[string]any{"block": map[string]any{"id": "b-" + block, "name": block}, "utterance": utterance, "user": map[string]any{"id": user, "type": "botUserKey", "properties": map[string]any{"isFriend": true}}},
		"bot":         map[string]any{"id": "bot1", "name": "샘플몰"},
		"action":      map[string]any{"clientExtra": map[string]any{}},
	})
	return b
}

// TestUnknownEmptyBlockLogged: a block the config names nowhere that calls
// the skill with no utterance — a welcome block renamed in 챗봇 관리자센터
// ("웰컴블록") — is answered with the menu and logged once, naming the block
// and blocks.welcome; the configured welcome block, the fallback block and
// a typed text from an unknown block log nothing.
func TestUnknownEmptyBlockLogged(t *testing.T) {
	cfg, e, db := realParts(t)
	logs := &lockedBuffer{}
	s := skill.NewServer(slog.New(slog.NewTextHandler(logs, nil)), e, db, handoff.Effects{}, nil, skill.Options{
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
	})
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	send := func(body []byte) string {
		t.Helper()
		resp, err := http.Post(srv.URL+"/skill", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("got %d %s, want 200", resp.StatusCode, raw)
		}
		return string(raw)
	}
	const warn = "a block the config does not name called the skill with no utterance"
	send(blockPayload("u-known-1", cfg.Blocks.Welcome[0], ""))
	send(blockPayload("u-known-2", cfg.Blocks.Fallback[0], ""))
	send(blockPayload("u-known-3", "웰컴블록", "배송비 얼마예요"))
	if strings.Contains(logs.String(), warn) {
		t.Fatalf("configured blocks and a typed text logged %q:\n%s", warn, logs.String())
	}
	body := send(blockPayload("u-unknown-1", "웰컴블록", ""))
	send(blockPayload("u-unknown-2", "웰컴블록", ""))
	if !strings.Contains(body, "quickReplies") {
		t.Errorf("unknown empty block: got %s, want the menu", body)
	}
	got := logs.String()
	if n := strings.Count(got, warn); n != 1 {
		t.Errorf("got %d log lines for the unknown block, want 1:\n%s", n, got)
	}
	if !strings.Contains(got, "block=웰컴블록") || !strings.Contains(got, "blocks.welcome") {
		t.Errorf("log %q: want the block's name and blocks.welcome", got)
	}
}
