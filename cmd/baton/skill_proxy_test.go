package main

import (
	"context"
	"net/http"
	"testing"
)

// TestOpenSkillBehindProxyRefused: docs/ops.md puts a reverse proxy in
// front of a loopback --addr, and an empty kakao.tokens is allowed there for
// local clients; a token-less /skill reached through that proxy (it adds
// X-Forwarded-For) must answer 401 and store nothing, or a bot master who
// forgets BATON_SKILL_TOKEN serves a public, open /skill. (From the security
// audit's TestAuditOpenSkillBehindDocumentedProxy.)
func TestOpenSkillBehindProxyRefused(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_SKILL_TOKEN"] = ""
	env["BATON_SKILL_TEST_TOKEN"] = ""
	m := startBatonEnv(t, exampleConfig, t.TempDir(), nil, env)
	const user = "u-open-skill-proxied"
	code, _ := postSkill(t, m, turn{User: user, Block: "웰컴 블록"}.payload(),
		map[string]string{"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"})
	n, err := m.DB.CountTurns(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	if code != http.StatusUnauthorized || n != 0 {
		t.Errorf("token-less /skill reached through a reverse proxy: got %d and %d stored turns, want 401 and none", code, n)
	}
}

// TestOpenSkillLocalClientServed: the README's command 1 and curl (no
// token, no proxy) keep working on the loopback --addr.
func TestOpenSkillLocalClientServed(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_SKILL_TOKEN"] = ""
	env["BATON_SKILL_TEST_TOKEN"] = ""
	m := startBatonEnv(t, exampleConfig, t.TempDir(), nil, env)
	const user = "u-open-skill-local"
	code, _ := postSkill(t, m, turn{User: user, Block: "웰컴 블록"}.payload(), nil)
	n, err := m.DB.CountTurns(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	if code != http.StatusOK || n != 1 {
		t.Errorf("token-less /skill from a local client: got %d and %d stored turns, want 200 and 1", code, n)
	}
}
