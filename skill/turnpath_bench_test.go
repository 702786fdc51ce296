package skill_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/skill"
	"github.com/baton-chat/baton/store"
)

// memConversations is an in-memory skill.Conversations for BenchmarkTurnPath
// only: it keeps the last committed user and conversation per key (with the
// version check) and the handoffs opened, so the benchmark measures the turn
// path Baton owns outside the store (decode, lock, step, render, metrics,
// deadline machinery) without SQLite's fsync and group commit. The real
// store is measured by BenchmarkFullTurn.
type memConversations struct {
	mu       sync.Mutex
	users    map[string]store.User
	convs    map[string]fsm.Conversation
	handoffs map[string]store.Handoff
	reads    atomic.Int64 // Handoff + WaitingAhead + AcceptStats calls
}

func newMemConversations() *memConversations {
	return &memConversations{users: map[string]store.User{}, convs: map[string]fsm.Conversation{}, handoffs: map[string]store.Handoff{}}
}

func (m *memConversations) Load(_ context.Context, key string) (store.User, fsm.Conversation, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.convs[key]
	if ok {
		c.MenuPath = append([]string(nil), c.MenuPath...)
		c.Clarify = append([]string(nil), c.Clarify...)
	}
	return m.users[key], c, ok, nil
}

func (m *memConversations) Commit(_ context.Context, w *store.TurnWrite) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.convs[w.User.Key].Version != w.Conv.Version {
		return store.ErrConflict
	}
	w.Conv.Version++
	m.users[w.User.Key], m.convs[w.User.Key] = w.User, w.Conv
	if h := w.OpenHandoff; h != nil {
		m.handoffs[h.ID] = *h
	}
	return nil
}

func (m *memConversations) Handoff(_ context.Context, id string) (store.Handoff, bool, error) {
	m.reads.Add(1)
	m.mu.Lock()
	defer m.mu.Unlock()
	h, ok := m.handoffs[id]
	return h, ok, nil
}

func (m *memConversations) WaitingAhead(context.Context, store.Handoff) (int, error) {
	m.reads.Add(1)
	return 0, nil
}

func (m *memConversations) LastHandoff(_ context.Context, key string) (store.Handoff, bool, error) {
	m.reads.Add(1)
	m.mu.Lock()
	defer m.mu.Unlock()
	var last store.Handoff
	for _, h := range m.handoffs {
		if h.UserKey == key && h.CreatedAt.After(last.CreatedAt) {
			last = h
		}
	}
	return last, last.ID != "", nil
}

func (m *memConversations) AcceptStats(context.Context, string, time.Time) (store.AcceptStats, error) {
	m.reads.Add(1)
	return store.AcceptStats{}, nil
}

// BenchmarkTurnPath measures one /skill turn through the real handler,
// engine and FAQ index with an in-memory conversation store (see
// memConversations), in parallel over distinct users: the CPU per turn and
// the allocations Baton spends on a turn besides the store. Sub-benchmarks:
// a welcome, a menu tap, an FAQ question, and a turn while waiting for a
// human (one_on_one). store-reads/turn counts the waiting-state reads.
func BenchmarkTurnPath(b *testing.B) {
	cfg, e := testutil.Engine(b, "../configs/example.yaml")
	mem := newMemConversations()
	monday := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC) // 10:00 KST
	s := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, mem, handoff.Effects{}, nil, skill.Options{
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
		RateTurns: 1 << 30, RatePer: time.Second, RateBurst: 1 << 30,
		Now: func() time.Time { return monday },
	})
	h := s.Handler()
	const users = 512
	var seq atomic.Int64
	prepare := benchBodies(b, h, "path", users)
	for _, kind := range []string{"welcome", "menu", "faq", "waiting"} {
		b.Run(kind, func(b *testing.B) {
			bodies := prepare(kind)
			b.SetParallelism(16)
			b.ReportAllocs()
			b.ResetTimer()
			reads, cpu := mem.reads.Load(), processCPU(b)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					serve(b, h, bodies[seq.Add(1)%users])
				}
			})
			b.ReportMetric(float64((processCPU(b)-cpu).Nanoseconds())/1e3/float64(b.N), "cpu-µs/turn")
			b.ReportMetric(float64(mem.reads.Load()-reads)/float64(b.N), "store-reads/turn")
		})
	}
}
