package skill_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/skill"
)

// lockedBuffer is a log sink safe for the server's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestOpenSkillRefusesProxiedRequests: without tokens, /skill answers a
// local client, and refuses (401, nothing stored, a log line naming the
// setting) a request carrying any header a reverse proxy adds; with tokens
// the token alone decides.
func TestOpenSkillRefusesProxiedRequests(t *testing.T) {
	cfg, e, db := realParts(t)
	logs := &lockedBuffer{}
	s := skill.NewServer(slog.New(slog.NewTextHandler(logs, nil)), e, db, handoff.Effects{}, nil, skill.Options{
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
	})
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	post := func(user string, header map[string]string) int {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/skill", bytes.NewReader(payload(user, "배송 조회")))
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, tc := range []struct {
		name   string
		tokens []string
		header map[string]string
		want   int
	}{
		{"open, local client", nil, nil, http.StatusOK},
		{"open, token header only", nil, map[string]string{"X-Baton-Token": "x"}, http.StatusOK},
		{"open, Forwarded", nil, map[string]string{"Forwarded": "for=203.0.113.7;proto=https"}, http.StatusUnauthorized},
		{"open, X-Forwarded-For", nil, map[string]string{"X-Forwarded-For": "203.0.113.7"}, http.StatusUnauthorized},
		{"open, X-Real-IP", nil, map[string]string{"X-Real-IP": "203.0.113.7"}, http.StatusUnauthorized},
		{"open, X-Forwarded-Host", nil, map[string]string{"X-Forwarded-Host": "bot.example.com"}, http.StatusUnauthorized},
		{"open, X-Forwarded-Proto", nil, map[string]string{"X-Forwarded-Proto": "https"}, http.StatusUnauthorized},
		{"open, Via", nil, map[string]string{"Via": "1.1 proxy"}, http.StatusUnauthorized},
		{"open, empty X-Forwarded-For", nil, map[string]string{"X-Forwarded-For": ""}, http.StatusUnauthorized},
		{"tokens, proxied with the token", []string{"tok-a"}, map[string]string{"X-Forwarded-For": "203.0.113.7", "X-Baton-Token": "tok-a"}, http.StatusOK},
		{"tokens, proxied without it", []string{"tok-a"}, map[string]string{"X-Forwarded-For": "203.0.113.7"}, http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.SetTokens("", tc.tokens)
			user := "u-proxy-" + strings.ReplaceAll(tc.name, " ", "-")
			if got := post(user, tc.header); got != tc.want {
				t.Fatalf("status: got %d, want %d", got, tc.want)
			}
			n, err := db.CountTurns(context.Background(), user)
			if err != nil {
				t.Fatal(err)
			}
			if stored := n > 0; stored != (tc.want == http.StatusOK) {
				t.Errorf("turns stored: got %d, want them only when answered 200", n)
			}
		})
	}
	got := logs.String()
	for _, want := range []string{"reverse proxy", "kakao.tokens is empty", "BATON_SKILL_TOKEN", "header=X-Forwarded-For"} {
		if !strings.Contains(got, want) {
			t.Errorf("log: got %q, want it to contain %q", got, want)
		}
	}
	if strings.Contains(got, "u-proxy-") || strings.Contains(got, "203.0.113.7") {
		t.Errorf("log: got %q, want no user key or client address", got)
	}
}
