package skill_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/skill"
)

// budgetCallbacks records each Post and whether its context was already over.
type budgetCallbacks struct {
	posts   atomic.Int32
	expired atomic.Int32
}

func (c *budgetCallbacks) Allowed(string) bool { return true }
func (c *budgetCallbacks) Post(ctx context.Context, _ string, _ []byte) error {
	c.posts.Add(1)
	if ctx.Err() != nil {
		c.expired.Add(1)
		return ctx.Err() // as an HTTP client would: no request goes out
	}
	return nil
}

// TestCallbackTurnOutOfBudgetStillAnswers: a callback turn whose store
// stalls until the callback budget ends gets the fallback, and the fallback
// is posted: on a context of its own, not the turn's, which has ended (no
// request could go out under it, and the user would never get an answer).
func TestCallbackTurnOutOfBudgetStillAnswers(t *testing.T) {
	cfg, e, db := realParts(t)
	cb := &budgetCallbacks{}
	s := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, slowLoads{db, time.Hour}, handoff.Effects{}, nil, skill.Options{
		SoftDeadline: 20 * time.Millisecond, HardDeadline: time.Second, Callbacks: cb, CallbackText: cfg.Texts.CallbackWait,
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
	})
	skill.SetCallbackBudget(s, 300*time.Millisecond) // 45 s in production
	code, out := post(t, s.Handler(), withCallback(t, "u-rv-cb", "배송 조회", "https://bot-api.kakao.com/v1/bots/b/callback/x", false))
	if code != 200 || !bytes.Equal(out, skill.CallbackAck(cfg.Texts.CallbackWait)) {
		t.Fatalf("got %d %s, want useCallback", code, out)
	}
	deadline := time.Now().Add(10 * time.Second)
	for cb.posts.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if cb.posts.Load() == 0 {
		t.Fatal("no callback post at all within 10 s")
	}
	if cb.expired.Load() != 0 {
		t.Fatalf("the callback answer (the fallback) was posted with an expired context: it can never be delivered")
	}
}
