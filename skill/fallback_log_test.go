package skill_test

import (
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/skill"
)

// logLines returns the lines of logs that contain all of words.
func logLines(logs *lockedBuffer, words ...string) []string {
	var out []string
next:
	for _, line := range strings.Split(logs.String(), "\n") {
		for _, w := range words {
			if !strings.Contains(line, w) {
				continue next
			}
		}
		out = append(out, line)
	}
	return out
}

// TestFallbackLogIsBounded: fallback answers of one reason are logged at
// ERROR, each with its request id, up to 10 a minute; the others go to
// DEBUG, and the first ERROR line of the next minute counts them. Another
// reason keeps its own lines meanwhile.
func TestFallbackLogIsBounded(t *testing.T) {
	cfg, e, db := realParts(t)
	logs := &lockedBuffer{}
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s := skill.NewServer(slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})), panicky{e}, db, handoff.Effects{}, nil, skill.Options{
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited, Now: clock,
	})
	const msg = "skill: answered the fallback"
	for range 15 {
		post(t, s.Handler(), []byte("{not json"))
	}
	post(t, s.Handler(), payload("u-panic", "panic please"))
	if got := len(logLines(logs, msg, "level=ERROR", "reason=decode", "req=")); got != 10 {
		t.Errorf("decode fallbacks at ERROR in the first minute: got %d, want 10", got)
	}
	if got := len(logLines(logs, msg, "level=DEBUG", "reason=decode", "req=")); got != 5 {
		t.Errorf("decode fallbacks at DEBUG in the first minute: got %d, want 5", got)
	}
	if got := len(logLines(logs, msg, "level=ERROR", "reason=panic")); got != 1 {
		t.Errorf("panic fallbacks at ERROR: got %d, want 1", got)
	}

	mu.Lock()
	now = now.Add(time.Minute)
	mu.Unlock()
	post(t, s.Handler(), []byte("{not json"))
	post(t, s.Handler(), []byte("{not json"))
	if got := logLines(logs, msg, "level=ERROR", "reason=decode", "unlogged="); len(got) != 1 || !strings.Contains(got[0], "unlogged=5") {
		t.Errorf("decode fallbacks of the next minute: got lines %q, want the first at ERROR with unlogged=5, no other with unlogged", got)
	}
	if got := len(logLines(logs, msg, "level=ERROR", "reason=decode")); got != 12 {
		t.Errorf("decode fallbacks at ERROR in all: got %d, want 12", got)
	}
}
