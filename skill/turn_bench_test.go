package skill_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/proc"
	"github.com/baton-chat/baton/skill"
	"github.com/baton-chat/baton/store"
)

// benchDB is the store behind the last benchServer (for batch statistics).
var benchDB *store.DB

// benchServer is the real pipeline (example config, FAQ index, engine,
// SQLite with group commit) without the rate limit, in office hours.
func benchServer(b *testing.B) http.Handler {
	b.Helper()
	cfg, e, db := realParts(b)
	benchDB = db
	monday := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC) // 10:00 KST
	s := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, db, handoff.Effects{}, nil, skill.Options{
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
		RateTurns: 1 << 30, RatePer: time.Second, RateBurst: 1 << 30,
		Now: func() time.Time { return monday },
	})
	return s.Handler()
}

// processCPU returns the CPU time (user + system) this process has used.
func processCPU(tb testing.TB) time.Duration {
	tb.Helper()
	d, err := proc.CPU()
	if err != nil {
		tb.Fatalf("process CPU: %v", err)
	}
	return d
}

func serve(b *testing.B, h http.Handler, body []byte) []byte {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/skill", bytes.NewReader(body)))
	if rec.Code != 200 {
		b.Fatalf("status %d", rec.Code)
	}
	return rec.Body.Bytes()
}

func welcomeOf(user string) []byte {
	var p map[string]any
	_ = json.Unmarshal(payload(user, ""), &p)
	ur := p["userRequest"].(map[string]any)
	ur["block"] = map[string]any{"id": "w", "name": "웰컴 블록"}
	out, _ := json.Marshal(p)
	return out
}

// benchBodies returns, per kind of turn (welcome, menu, faq, waiting), the
// request bodies of users distinct users set up for it through h: each
// user has seen the welcome, and a waiting user has escalated. Kinds are
// set up once however often b.Run calls a benchmark's body.
func benchBodies(b *testing.B, h http.Handler, prefix string, users int) func(kind string) [][]byte {
	prepared := map[string][][]byte{}
	return func(kind string) [][]byte {
		if p, ok := prepared[kind]; ok {
			return p
		}
		bodies := make([][]byte, users)
		for i := range users {
			u := fmt.Sprintf("%s-%s-%d", prefix, kind, i)
			w := serve(b, h, welcomeOf(u))
			switch kind {
			case "welcome":
				bodies[i] = welcomeOf(u)
			case "menu":
				bodies[i] = tapLabel(b, u, w, "주문/배송")
			case "faq":
				bodies[i] = payload(u, "배송비 얼마에요")
			case "waiting":
				c := serve(b, h, payload(u, "상담원"))
				serve(b, h, tapLabel(b, u, c, "네, 연결해 주세요"))
				bodies[i] = payload(u, "배송비 얼마에요")
			}
		}
		prepared[kind] = bodies
		return bodies
	}
}

// BenchmarkFullTurn measures one /skill turn end to end in process —
// decode, per-user lock, cached load, engine step, group commit (fsync),
// render — with b.RunParallel over distinct users so batches form as they
// would under load. Sub-benchmarks: a menu tap, an FAQ question, and a turn
// while waiting for a human (one_on_one: answered and re-offered).
func BenchmarkFullTurn(b *testing.B) {
	h := benchServer(b)
	const users = 512
	var seq atomic.Int64

	prepare := benchBodies(b, h, "bench", users)
	for _, kind := range []string{"menu", "faq", "waiting"} {
		b.Run(kind, func(b *testing.B) {
			bodies := prepare(kind)
			b.SetParallelism(16) // many users in flight, as under real load
			b.ReportAllocs()
			b.ResetTimer()
			before, cpu := benchDB.Stats(), processCPU(b)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					serve(b, h, bodies[seq.Add(1)%users])
				}
			})
			b.ReportMetric(float64((processCPU(b)-cpu).Microseconds())/float64(b.N), "cpu-µs/turn")
			after := benchDB.Stats()
			if n := after.Batches - before.Batches; n > 0 {
				b.ReportMetric(float64(after.Requests-before.Requests)/float64(n), "turns/batch")
			}
		})
	}
}
