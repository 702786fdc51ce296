package skill_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/skill"
	"github.com/baton-chat/baton/store"
)

// countingStore is the real store, counting the reads waiting turns make.
type countingStore struct {
	*store.DB
	mu    sync.Mutex
	reads map[string]int
}

func (c *countingStore) count(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reads[name]++
}

func (c *countingStore) take() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.reads
	c.reads = map[string]int{}
	return r
}

func (c *countingStore) Handoff(ctx context.Context, id string) (store.Handoff, bool, error) {
	c.count("Handoff")
	return c.DB.Handoff(ctx, id)
}

func (c *countingStore) WaitingAhead(ctx context.Context, h store.Handoff) (int, error) {
	c.count("WaitingAhead")
	return c.DB.WaitingAhead(ctx, h)
}

func (c *countingStore) AcceptStats(ctx context.Context, queue string, now time.Time) (store.AcceptStats, error) {
	c.count("AcceptStats")
	return c.DB.AcceptStats(ctx, queue, now)
}

func (c *countingStore) ListHandoffs(ctx context.Context, f store.HandoffFilter) ([]store.Handoff, error) {
	c.count("ListHandoffs")
	return c.DB.ListHandoffs(ctx, f)
}

// TestWaitingViewStaysTrue: dealer-queue positions come from the waiting
// view — no store read per status turn — and stay what the store says as
// users join, cancel and are accepted through this server; a change made
// behind its back shows once the view's TTL has passed; a fresh server on
// the same store (empty view) agrees.
func TestWaitingViewStaysTrue(t *testing.T) {
	cfg, e, db := realParts(t)
	cs := &countingStore{DB: db, reads: map[string]int{}}
	monday := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC) // 10:00 KST
	newServer := func() (*skill.Server, *atomic.Int64) {
		s := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, cs, handoff.Effects{}, nil, skill.Options{
			FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
			RateTurns: 1 << 30, RatePer: time.Second, RateBurst: 1 << 30,
			Now: func() time.Time { return monday },
		})
		var mono atomic.Int64 // the view's clock, in nanoseconds from base
		base := time.Now()
		skill.SetWaitingClock(s, func() time.Time { return base.Add(time.Duration(mono.Load())) })
		return s, &mono
	}
	s, mono := newServer()
	h := s.Handler()
	position := func(user string) int {
		t.Helper()
		got := string(turnOf(t, h, payload(user, "언제 연결돼요?")))
		var n int
		i := strings.Index(got, "대기 순서 ")
		if i < 0 {
			t.Fatalf("%s: got %s, want a queue position", user, got)
		}
		if _, err := fmt.Sscanf(got[i+len("대기 순서 "):], "%d번", &n); err != nil {
			t.Fatalf("%s: got %s: %v", user, got, err)
		}
		return n
	}
	expect := func(step string, want map[string]int) {
		t.Helper()
		for u, p := range want {
			if got := position(u); got != p {
				t.Errorf("%s: %s: got position %d, want %d", step, u, got, p)
			}
		}
	}

	for _, u := range []string{"wv-a", "wv-b", "wv-c"} {
		toVIP(t, h, u)
	}
	cs.take()
	expect("three waiting", map[string]int{"wv-a": 1, "wv-b": 2, "wv-c": 3})
	reads := cs.take()
	if reads["Handoff"] != 0 || reads["WaitingAhead"] != 0 || reads["ListHandoffs"] > 1 || reads["AcceptStats"] > 1 {
		t.Errorf("three status turns read %v, want at most one line and one stats read", reads)
	}

	toVIP(t, h, "wv-d") // joins through this server: no re-read needed
	cs.take()
	expect("a fourth joined", map[string]int{"wv-d": 4, "wv-c": 3})
	if reads := cs.take(); reads["ListHandoffs"] != 0 || reads["WaitingAhead"] != 0 {
		t.Errorf("after a join the status turns read %v, want no line read", reads)
	}

	turnOf(t, h, payload("wv-b", "취소")) // b cancels
	expect("b cancelled", map[string]int{"wv-a": 1, "wv-c": 2, "wv-d": 3})

	if _, err := s.Apply(context.Background(), "wv-a", "accepted", ""); err != nil {
		t.Fatal(err)
	}
	expect("a accepted", map[string]int{"wv-c": 1, "wv-d": 2})

	// Behind the server's back: c's handoff is accepted in the store only.
	hc, ok, err := db.OpenHandoff(context.Background(), "wv-c")
	if err != nil || !ok {
		t.Fatalf("open handoff of wv-c: %v %v", ok, err)
	}
	if _, err := db.MarkHandoffAccepted(context.Background(), hc.ID, monday); err != nil {
		t.Fatal(err)
	}
	mono.Add(int64(skill.WaitingTTL + time.Millisecond))
	expect("c accepted elsewhere, after the TTL", map[string]int{"wv-d": 1})

	// A fresh server (empty view) reads the same from the store.
	s2, _ := newServer()
	h = s2.Handler()
	expect("fresh server", map[string]int{"wv-d": 1})
}

// The real store gives the view its queue lines.
var _ skill.HandoffLister = (*store.DB)(nil)

// TestWaitingViewLongQueue: in a dealer queue too long for the view to hold
// (queueListLimit or more waiting), each status turn counts its own place
// with one store read, and the queue is listed again at most once per TTL
// (not once per turn, which would read queueListLimit handoffs each time);
// the position stays what the store says, before and after the TTL.
func TestWaitingViewLongQueue(t *testing.T) {
	cfg, e, db := realParts(t)
	cs := &countingStore{DB: db, reads: map[string]int{}}
	monday := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC) // 10:00 KST
	s := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, cs, handoff.Effects{}, nil, skill.Options{
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
		RateTurns: 1 << 30, RatePer: time.Second, RateBurst: 1 << 30,
		Now: func() time.Time { return monday },
	})
	var mono atomic.Int64
	base := time.Now()
	skill.SetWaitingClock(s, func() time.Time { return base.Add(time.Duration(mono.Load())) })
	h := s.Handler()

	// Handoffs written behind the server's back, all earlier than the
	// user's: the view does not know them.
	ahead := skill.QueueListLimit + 5
	err := db.Write(context.Background(), func(tx *sql.Tx) error {
		at := monday.Add(-time.Hour).UnixMilli()
		if _, err := tx.Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < ?)
			INSERT INTO users (key, first_seen, last_seen) SELECT 'long-' || i, ?, ? FROM n`, ahead, at, at); err != nil {
			return err
		}
		_, err := tx.Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < ?)
			INSERT INTO handoffs (id, code, user_key, queue, target, created_at)
			SELECT printf('01JD%022d', i), printf('L%04d', i), 'long-' || i, 'vip', 'dealer:happytalk', ? + i FROM n`,
			ahead, at)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	toVIP(t, h, "wv-long")
	want := fmt.Sprintf("대기 순서 %d번", ahead+1)
	status := func(step string) {
		t.Helper()
		if got := string(turnOf(t, h, payload("wv-long", "언제 연결돼요?"))); !strings.Contains(got, want) {
			t.Errorf("%s: got %s, want %q", step, got, want)
		}
	}
	cs.take()
	const turns = 5
	for range turns {
		status("within the TTL")
	}
	if reads := cs.take(); reads["ListHandoffs"] > 1 || reads["WaitingAhead"] != turns {
		t.Errorf("%d status turns read %v, want at most 1 line read and %d counts", turns, reads, turns)
	}
	mono.Add(int64(skill.WaitingTTL + time.Millisecond))
	for range turns {
		status("after the TTL")
	}
	if reads := cs.take(); reads["ListHandoffs"] != 1 || reads["WaitingAhead"] != turns {
		t.Errorf("%d status turns after the TTL read %v, want 1 line read and %d counts", turns, reads, turns)
	}
}
