package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
)

// Skill tokens of the rotation tests, written literally into the config (a
// reload cannot change what ${VAR} expands to).
const (
	rotTokenA = "rot-old-5d1e8a0c27f4"
	rotTokenB = "rot-new-9a7c42e61b08"
)

// withTokens returns a writeConfig edit that sets kakao.tokens (a YAML flow
// list) and kakao.token_header.
func withTokens(tokens, header string) func(string) string {
	return func(s string) string {
		const line = `  tokens: ["${BATON_SKILL_TOKEN:-}", "${BATON_SKILL_TEST_TOKEN:-}"]
  token_header: X-Baton-Token
`
		if !strings.Contains(s, line) {
			panic("example config: kakao.tokens line not found")
		}
		return strings.Replace(s, line, "  tokens: "+tokens+"\n  token_header: "+header+"\n", 1)
	}
}

// skillStatus posts a welcome turn of a fresh user with header: value to the
// public address addr and returns the status, after checking that the turn
// was stored exactly when it was answered 200 (a 401 stores nothing).
func skillStatus(t *testing.T, m *Main, addr, user, header, value string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/skill", bytes.NewReader(turn{User: user, Block: "웰컴 블록"}.payload()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if value != "" {
		req.Header.Set(header, value)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST /skill: %v", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	n, err := m.DB.CountTurns(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[bool]int{true: 1, false: 0}[resp.StatusCode == http.StatusOK]; n != want {
		t.Errorf("%s: answered %d but %d turns stored, want %d", user, resp.StatusCode, n, want)
	}
	return resp.StatusCode
}

// TestSkillTokenRotationByReload walks the rotation of docs/ops.md: add the
// new token beside the old one, reload, (switch 챗봇 관리자센터 to it),
// remove the old one, reload — /skill never refuses the token Kakao sends.
// A header rename is reloaded too.
func TestSkillTokenRotationByReload(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, withTokens("["+rotTokenA+"]", "X-Baton-Token"))
	m := startBatonEnv(t, path, t.TempDir(), nil, env)
	addr := m.PublicAddr()
	versions := []string{readyVersion(t, m)}

	type try struct {
		user, header, token string
		want                int
	}
	check := func(step string, tries []try) {
		t.Helper()
		for _, tr := range tries {
			if got := skillStatus(t, m, addr, tr.user, tr.header, tr.token); got != tr.want {
				t.Errorf("%s: %s with %s: %q: got %d, want %d", step, tr.user, tr.header, tr.token, got, tr.want)
			}
		}
	}
	reload := func(step string, edit func(string) string) {
		t.Helper()
		writeConfig(t, path, edit)
		code, body := adminCall(t, m, http.MethodPost, "/admin/reload")
		if code != http.StatusOK {
			t.Fatalf("%s: reload: got %d %v, want 200", step, code, body)
		}
		rec, _ := body["reload"].(map[string]any)
		if detail, _ := rec["detail"].(string); strings.Contains(detail, "restart needed") {
			t.Errorf("%s: reload detail: got %q, want no restart note (kakao is reloaded)", step, detail)
		}
		v := readyVersion(t, m)
		if v == versions[len(versions)-1] {
			t.Errorf("%s: /readyz config_version: got %s again, want a new one", step, v)
		}
		versions = append(versions, v)
	}

	check("only A", []try{
		{"rot-1-a", "X-Baton-Token", rotTokenA, http.StatusOK},
		{"rot-1-b", "X-Baton-Token", rotTokenB, http.StatusUnauthorized},
		{"rot-1-none", "X-Baton-Token", "", http.StatusUnauthorized},
	})
	reload("A and B", withTokens("["+rotTokenA+", "+rotTokenB+"]", "X-Baton-Token"))
	check("A and B", []try{
		{"rot-2-a", "X-Baton-Token", rotTokenA, http.StatusOK},
		{"rot-2-b", "X-Baton-Token", rotTokenB, http.StatusOK},
		{"rot-2-none", "X-Baton-Token", "", http.StatusUnauthorized},
	})
	reload("only B", withTokens("["+rotTokenB+"]", "X-Baton-Token"))
	check("only B", []try{
		{"rot-3-a", "X-Baton-Token", rotTokenA, http.StatusUnauthorized},
		{"rot-3-b", "X-Baton-Token", rotTokenB, http.StatusOK},
	})
	reload("header renamed", withTokens("["+rotTokenB+"]", "X-Skill-Key"))
	check("header renamed", []try{
		{"rot-4-old-header", "X-Baton-Token", rotTokenB, http.StatusUnauthorized},
		{"rot-4-new-header", "X-Skill-Key", rotTokenB, http.StatusOK},
	})
}

// TestReloadRefusesAnOpenSkillOffLoopback: serving on a non-loopback
// --addr, a reload whose config has no tokens is refused (422, recorded as
// failed) and the tokens in force keep guarding /skill.
func TestReloadRefusesAnOpenSkillOffLoopback(t *testing.T) {
	t.Setenv("BATON_ADMIN_TOKEN", e2eAdminToken)
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, withTokens("["+rotTokenA+"]", "X-Baton-Token"))
	m := NewMain()
	m.ConfigPath = path
	m.Addr, m.AdminAddr, m.DataDir = "0.0.0.0:0", "127.0.0.1:0", t.TempDir()
	m.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	err := m.Run(context.Background())
	t.Cleanup(func() {
		http.DefaultClient.CloseIdleConnections()
		_ = m.Close()
	})
	if err != nil {
		t.Fatalf("start baton on 0.0.0.0: %v", err)
	}
	_, port, err := net.SplitHostPort(m.PublicAddr())
	if err != nil {
		t.Fatal(err)
	}
	addr := net.JoinHostPort("127.0.0.1", port) // 0.0.0.0 listens on loopback too
	v0 := readyVersion(t, m)

	writeConfig(t, path, withTokens("[]", "X-Baton-Token"))
	code, body := adminCall(t, m, http.MethodPost, "/admin/reload")
	if msg, _ := body["error"].(string); code != http.StatusUnprocessableEntity || !strings.Contains(msg, "kakao.tokens is empty") {
		t.Errorf("reload emptying kakao.tokens on 0.0.0.0: got %d %v, want 422 naming kakao.tokens", code, body)
	}
	if got := readyVersion(t, m); got != v0 {
		t.Errorf("config version after the refused reload: got %s, want %s", got, v0)
	}
	_, body = adminCall(t, m, http.MethodGet, "/admin/reloads?limit=1")
	rs, _ := body["reloads"].([]any)
	if len(rs) != 1 {
		t.Fatalf("reload history: got %v, want one entry", body)
	}
	rec := rs[0].(map[string]any)
	if detail, _ := rec["detail"].(string); rec["result"] != "failed" || !strings.Contains(detail, "kakao.tokens is empty") {
		t.Errorf("reload history: got %v, want failed naming kakao.tokens", rec)
	}
	if got := skillStatus(t, m, addr, "open-1-none", "X-Baton-Token", ""); got != http.StatusUnauthorized {
		t.Errorf("no token after the refused reload: got %d, want 401", got)
	}
	if got := skillStatus(t, m, addr, "open-1-a", "X-Baton-Token", rotTokenA); got != http.StatusOK {
		t.Errorf("token A after the refused reload: got %d, want 200", got)
	}
}

func TestOpenSkillError(t *testing.T) {
	with := &configs.Config{Path: "baton.yaml", Kakao: configs.Kakao{Tokens: []string{"x"}}}
	without := &configs.Config{Path: "baton.yaml"}
	for _, tc := range []struct {
		addr    string
		cfg     *configs.Config
		refused bool
	}{
		{"127.0.0.1:8080", without, false},
		{"[::1]:8080", without, false},
		{"localhost:8080", without, false},
		{"0.0.0.0:8080", without, true},
		{":8080", without, true},
		{"10.0.0.5:8080", without, true},
		{"0.0.0.0:8080", with, false},
		{"127.0.0.1:8080", with, false},
	} {
		err := openSkillError(tc.cfg, tc.addr)
		if (err != nil) != tc.refused {
			t.Errorf("openSkillError(%d tokens, %s): got %v, want refused %v", len(tc.cfg.Kakao.Tokens), tc.addr, err, tc.refused)
		}
	}
}
