package skill_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/skill"
)

// TestRefusedTokenLogSaysWhy: a refused /skill request is logged as a
// missing header or as a value matching none of kakao.tokens, naming the
// header, so whoever reads the log after a token rotation or an edit of
// 챗봇 관리자센터 knows which side to fix; the value sent is never logged.
func TestRefusedTokenLogSaysWhy(t *testing.T) {
	cfg, e, db := realParts(t)
	logs := &lockedBuffer{}
	s := skill.NewServer(slog.New(slog.NewTextHandler(logs, nil)), e, db, handoff.Effects{}, nil, skill.Options{
		Tokens: []string{"tok-a"}, TokenHeader: "X-Shop-Key",
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
	})
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	for _, tc := range []struct {
		name, header, value, want string
	}{
		{"no header", "", "", "refused a request without the token header"},
		{"another header", "X-Baton-Token", "tok-a", "refused a request without the token header"},
		{"wrong value", "X-Shop-Key", "tok-old-secret", "refused a request whose token matches none of kakao.tokens"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(logs.String())
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/skill", bytes.NewReader(payload("u-refused", "배송 조회")))
			if err != nil {
				t.Fatal(err)
			}
			if tc.header != "" {
				req.Header.Set(tc.header, tc.value)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("got %d, want 401", resp.StatusCode)
			}
			got := logs.String()[before:]
			if !strings.Contains(got, tc.want) || !strings.Contains(got, "header=X-Shop-Key") {
				t.Errorf("log %q: want %q and header=X-Shop-Key", got, tc.want)
			}
			if tc.value != "" && strings.Contains(got, tc.value) {
				t.Errorf("log %q carries the value sent", got)
			}
		})
	}
}
