package skill_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/skill"
)

// TestSetTokens swaps the accepted tokens of a serving Server: the new set
// applies to the next request, empty values never open /skill, an empty
// list does, and the header name is matched case-insensitively.
func TestSetTokens(t *testing.T) {
	cfg, e, db := realParts(t)
	s := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, db, handoff.Effects{}, nil, skill.Options{
		Tokens:       []string{"tok-a"},
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
	})
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	status := func(user, header, value string) int {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/skill", bytes.NewReader(payload(user, "배송 조회")))
		if err != nil {
			t.Fatal(err)
		}
		if header != "" {
			req.Header.Set(header, value)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	type try struct{ header, value string }
	for _, tc := range []struct {
		name    string
		set     func()
		ok, bad []try
	}{
		{"as built", func() {},
			[]try{{"X-Baton-Token", "tok-a"}},
			[]try{{"X-Baton-Token", "tok-b"}, {"", ""}}},
		{"a and b, empty values dropped", func() { s.SetTokens("", []string{"tok-a", "", "tok-b"}) },
			[]try{{"X-Baton-Token", "tok-a"}, {"X-Baton-Token", "tok-b"}},
			[]try{{"X-Baton-Token", ""}, {"", ""}, {"X-Baton-Token", "tok-"}}},
		{"only b", func() { s.SetTokens("X-Baton-Token", []string{"tok-b"}) },
			[]try{{"X-Baton-Token", "tok-b"}},
			[]try{{"X-Baton-Token", "tok-a"}}},
		{"header renamed, lower case", func() { s.SetTokens("x-skill-key", []string{"tok-b"}) },
			[]try{{"X-Skill-Key", "tok-b"}},
			[]try{{"X-Baton-Token", "tok-b"}}},
		{"only empty values: open", func() { s.SetTokens("X-Skill-Key", []string{""}) },
			[]try{{"", ""}, {"X-Skill-Key", "anything"}},
			nil},
	} {
		tc.set()
		for i, tr := range tc.ok {
			if got := status("u-tok-ok-"+tc.name+string(rune('0'+i)), tr.header, tr.value); got != http.StatusOK {
				t.Errorf("%s: %s: %q: got %d, want 200", tc.name, tr.header, tr.value, got)
			}
		}
		for _, tr := range tc.bad {
			if got := status("u-tok-bad", tr.header, tr.value); got != http.StatusUnauthorized {
				t.Errorf("%s: %s: %q: got %d, want 401", tc.name, tr.header, tr.value, got)
			}
		}
	}
}
