package skill_test

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/skill"
)

// notListing is the real store without ListHandoffs: the waiting view then
// counts each place with WaitingAhead, as it does for a queue too long to
// hold (queueListLimit or more waiting).
type notListing struct{ skill.Conversations }

// TestQueuePositionCountLeavesOutTestTraffic: the positions a real user and
// a tester read are the same when the view counts each place with the
// store's WaitingAhead instead of holding the queue's line
// (TestQueuePositionLeavesOutTestTraffic): test handoffs take no place.
func TestQueuePositionCountLeavesOutTestTraffic(t *testing.T) {
	cfg, e, db := realParts(t)
	monday := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC) // 10:00 KST
	s := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, notListing{db}, handoff.Effects{}, nil, skill.Options{
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
		RateTurns: 1 << 30, RatePer: time.Second, RateBurst: 1 << 30,
		Now: func() time.Time { return monday },
	})
	h := s.Handler()
	toVIP(t, h, "tc-real-a")
	testToVIP(t, h, "tc-test-1")
	toVIP(t, h, "tc-real-b")
	for _, c := range []struct {
		user string
		test bool
		want int
	}{{"tc-real-a", false, 1}, {"tc-test-1", true, 2}, {"tc-real-b", false, 2}} {
		body := payload(c.user, "언제 연결돼요?")
		if c.test {
			body = asTest(t, body)
		}
		if got := positionOf(t, h, body); got != c.want {
			t.Errorf("%s: got position %d, want %d", c.user, got, c.want)
		}
	}
}
