package skill_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/skill"
)

// panickyCallbacks allows every callback URL but panics when asked, so a
// callback turn's handler panics after it decoded the request.
type panickyCallbacks struct{}

func (panickyCallbacks) Allowed(string) bool { panic("callbacks exploded") }

func (panickyCallbacks) Post(context.Context, string, []byte) error { return nil }

// TestErrorHandlerFallbackHonoursGroup: when an error reaches the /skill
// error handler — a middleware mounted on the public Echo answered an error
// (Echo's stock 429/503) before the handler ran, or the handler panicked and
// Echo's Recover middleware turned the panic into an error — the answer is
// still 200 with the fallback, and in a group chat it is the group fallback
// (no operator button: group chats never escalate), as on every other
// fallback path; a 1:1 request still gets the fallback with the button.
func TestErrorHandlerFallbackHonoursGroup(t *testing.T) {
	cfg, e, db := realParts(t)
	const groupText = "그룹 채팅 폴백 문구입니다."
	newServer := func(cb skill.Callbacks) *skill.Server {
		return skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, db, handoff.Effects{}, nil, skill.Options{
			FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
			GroupFallback: groupText, Callbacks: cb,
		})
	}
	group := func(t *testing.T, user string) []byte {
		return withChat(t, payload(user, "배송 조회"), `{"id":"room1","type":"botGroupKey","properties":{"botGroupKey":"room1"}}`)
	}
	check := func(t *testing.T, s *skill.Server, group, oneToOne []byte) {
		t.Helper()
		code, out := post(t, s.Handler(), group)
		if code != 200 || strings.Contains(string(out), `"action":"operator"`) || !bytes.Equal(out, skill.GroupFallback(groupText)) {
			t.Errorf("group request: got %d %s, want 200 and the group fallback %s", code, out, skill.GroupFallback(groupText))
		}
		code, out = post(t, s.Handler(), oneToOne)
		if code != 200 || !bytes.Equal(out, fallbackOf(cfg)) {
			t.Errorf("1:1 request: got %d %s, want 200 and the fallback with the operator button", code, out)
		}
	}

	t.Run("middleware error before the handler", func(t *testing.T) {
		s := newServer(nil)
		s.Echo().Use(func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c *echo.Context) error { return echo.ErrTooManyRequests }
		})
		check(t, s, group(t, "eh-group-mw"), payload("eh-one-mw", "배송 조회"))
	})

	t.Run("handler panic recovered by middleware", func(t *testing.T) {
		s := newServer(panickyCallbacks{})
		s.Echo().Use(middleware.Recover())
		withURL := func(body []byte) []byte {
			return bytes.Replace(body, []byte(`"userRequest":{`), []byte(`"userRequest":{"callbackUrl":"https://bot-api.kakao.com/v1/bots/b/callback/x",`), 1)
		}
		check(t, s, withURL(group(t, "eh-group-panic")), withURL(payload("eh-one-panic", "배송 조회")))
	})
}
