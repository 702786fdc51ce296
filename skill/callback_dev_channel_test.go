package skill_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/skill"
)

// TestDevChannelTurnUsesCallback checks that a development-channel turn
// (bot.id ending in "!") with a callbackUrl answers useCallback past the
// soft deadline and delivers the answer through the callback: DESIGN §3
// step 6 excludes only bot test (Kakao audit finding 6).
func TestDevChannelTurnUsesCallback(t *testing.T) {
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
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		if n := len(host.got()); n != 1 {
			return fmt.Errorf("callback host got %d posts, want 1", n)
		}
		return nil
	})
	if final := host.got()[0]; bytes.Equal(final, fallbackOf(cfg)) {
		t.Fatal("the callback delivered the fallback")
	}
}
