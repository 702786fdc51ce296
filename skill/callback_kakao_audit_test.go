//go:build audit

package skill_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/skill"
)

// TestAuditDevChannelTurnUsesCallback shows a deviation: a development
// channel turn (bot.id ending in "!") that carries a callbackUrl never
// answers useCallback, because skill/server.go:222 tests !p.IsTest() and
// IsTest includes the dev channel. DESIGN §3 step 6 excludes only bot test
// ("if callbackUrl is present (and not bot test)"), and the spec's one real
// callback URL is a dev channel's (skill-protocol.md §5/§10, S18:
// https://bot-api.kakao.com/v1/bots/5ae9b76d7409b11ec845b746!/callback/...);
// only bot-test tokens are refused ("Invalid callback token for testing
// purposes."). So a bot master testing the callback block on the dev
// channel gets the hard-deadline fallback instead of the waiting bubble.
func TestAuditDevChannelTurnUsesCallback(t *testing.T) {
	cfg, e, db := realParts(t)
	host := &callbackHost{}
	hs := httptest.NewServer(host)
	defer hs.Close()
	cb := handoff.NewCallbackClient([]string{strings.TrimPrefix(hs.URL, "http://")})
	cb.AllowHTTP = true
	s := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, slowLoads{db, 400 * time.Millisecond}, handoff.Effects{}, nil, skill.Options{
		SoftDeadline: 50 * time.Millisecond, HardDeadline: 200 * time.Millisecond, Callbacks: cb, CallbackText: cfg.Texts.CallbackWait,
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
	})
	var p map[string]any
	if err := json.Unmarshal(withCallback(t, "u-dev-cb", "배송 조회", hs.URL+"/v1/bots/bot1!/callback/one-time-token", false), &p); err != nil {
		t.Fatal(err)
	}
	p["bot"] = map[string]any{"id": "bot1!", "name": "샘플몰"}
	body, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	code, out := post(t, s.Handler(), body)
	if want := skill.CallbackAck(cfg.Texts.CallbackWait); code != 200 || !bytes.Equal(out, want) {
		t.Fatalf("dev channel turn past the soft deadline: got %d %s, want the useCallback answer %s", code, out, want)
	}
}
