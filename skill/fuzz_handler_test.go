package skill_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/kakaospec"
	"github.com/baton-chat/baton/skill"
)

// FuzzHandler drives the whole /skill handler — decode, rate limit, engine,
// store commit, render — with arbitrary bodies. Whatever the body, the
// answer is 200 with a valid SkillResponse (or 413 over 64 KB), never a panic
// and never anything else.
func FuzzHandler(f *testing.F) {
	files, _ := filepath.Glob("testdata/payloads/*.json")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{"", "null", "{}", "[]", `{"userRequest":{"user":{"id":"u"}}}`,
		`{"userRequest":{"user":{"id":"u"},"utterance":"1"},"action":{"clientExtra":{"baton":{"v":"x","n":"main","o":"ship"}}}}`,
		`{"userRequest":{"user":{"id":"u"},"block":{"name":"웰컴 블록"}}}`, "\xff\xfe", `{"userRequest":{"user":{"id":7}}}`} {
		f.Add([]byte(s))
	}
	cfg, e, db := realParts(f)
	s := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, db, handoff.Effects{}, nil, skill.Options{
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
		RateTurns: 1 << 30, RatePer: 1, RateBurst: 1 << 30,
	})
	h := s.Handler()
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/skill", bytes.NewReader(body))
		h.ServeHTTP(rec, req)
		if len(body) > skill.MaxBody {
			if rec.Code != http.StatusRequestEntityTooLarge {
				t.Fatalf("got %d for %d bytes, want 413", rec.Code, len(body))
			}
			return
		}
		if rec.Code != http.StatusOK {
			t.Fatalf("got status %d, want 200", rec.Code)
		}
		if err := kakaospec.Validate(rec.Body.Bytes()); err != nil {
			t.Fatalf("invalid SkillResponse: %v\n%s", err, rec.Body.Bytes())
		}
	})
}
