package skill_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/skill"
	"github.com/baton-chat/baton/store"
)

// panickyLister is the real store whose next ListHandoffs panics once armed.
type panickyLister struct {
	*store.DB
	armed atomic.Bool
}

func (p *panickyLister) ListHandoffs(ctx context.Context, f store.HandoffFilter) ([]store.Handoff, error) {
	if p.armed.CompareAndSwap(true, false) {
		panic("list exploded")
	}
	return p.DB.ListHandoffs(ctx, f)
}

// TestWaitingViewRefreshSurvivesPanic: a panic while the waiting view
// re-reads a queue's line is recovered and logged, the waiting turn still
// answers its place (counted in the store), and the line keeps refreshing:
// a change made behind the server's back shows once the TTL has passed,
// instead of the line answering from its last read for good.
func TestWaitingViewRefreshSurvivesPanic(t *testing.T) {
	cfg, e, db := realParts(t)
	pl := &panickyLister{DB: db}
	logs := &lockedBuffer{}
	monday := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC) // 10:00 KST
	s := skill.NewServer(slog.New(slog.NewTextHandler(logs, nil)), e, pl, handoff.Effects{}, nil, skill.Options{
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
		RateTurns: 1 << 30, RatePer: time.Second, RateBurst: 1 << 30,
		Now: func() time.Time { return monday },
	})
	var mono atomic.Int64
	base := time.Now()
	skill.SetWaitingClock(s, func() time.Time { return base.Add(time.Duration(mono.Load())) })
	h := s.Handler()
	status := func(step, user string, pos int) {
		t.Helper()
		code, out := post(t, h, payload(user, "언제 연결돼요?"))
		if want := fmt.Sprintf("대기 순서 %d번", pos); code != 200 || !strings.Contains(string(out), want) {
			t.Errorf("%s: %s: got %d %s, want %q", step, user, code, out, want)
		}
	}

	for _, u := range []string{"wp-a", "wp-b", "wp-c"} {
		toVIP(t, h, u)
	}
	status("three waiting", "wp-c", 3) // the line is read and held

	pl.armed.Store(true)
	mono.Add(int64(skill.WaitingTTL + time.Millisecond))
	status("the re-read panics", "wp-c", 3)
	if pl.armed.Load() {
		t.Fatal("the line was not re-read after the TTL")
	}
	if !strings.Contains(logs.String(), "list exploded") {
		t.Errorf("the panic was not logged:\n%s", logs)
	}

	// Behind the server's back: a's handoff is accepted in the store only.
	ha, ok, err := db.OpenHandoff(context.Background(), "wp-a")
	if err != nil || !ok {
		t.Fatalf("open handoff of wp-a: %v %v", ok, err)
	}
	if _, err := db.MarkHandoffAccepted(context.Background(), ha.ID, monday); err != nil {
		t.Fatal(err)
	}
	mono.Add(int64(skill.WaitingTTL + time.Millisecond))
	status("a accepted elsewhere, after the TTL", "wp-c", 2)
	status("a accepted elsewhere, after the TTL", "wp-b", 1)
}
