package main

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestAdminOverrideUntilAsListed: POST /admin/hours/override answers
// `until` as GET /admin/hours/override lists it — UTC, RFC 3339, to the
// millisecond it is kept at — whatever offset and precision it was sent in.
func TestAdminOverrideUntilAsListed(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string { return s })
	m := startBatonEnv(t, path, t.TempDir(), nil, env)
	kst := time.FixedZone("KST", 9*3600)
	until := time.Now().Add(2 * time.Hour).Truncate(time.Second).Add(123456789 * time.Nanosecond).In(kst)
	sent := until.Format(time.RFC3339Nano) // "...+09:00"
	code, set := adminAs(t, m, e2eAdminToken, http.MethodPost, "/admin/hours/override",
		`{"queue":"vip","mode":"closed","until":"`+sent+`"}`)
	if code != http.StatusOK {
		t.Fatalf("POST override: got %d %v, want 200", code, set)
	}
	code, list := adminAs(t, m, e2eAdminToken, http.MethodGet, "/admin/hours/override", "")
	overrides, _ := list["overrides"].([]any)
	if code != http.StatusOK || len(overrides) != 1 {
		t.Fatalf("GET overrides: got %d %v, want the one override", code, list)
	}
	listed, _ := overrides[0].(map[string]any)["until"].(string)
	want := until.UTC().Truncate(time.Millisecond).Format(time.RFC3339Nano)
	if listed != want {
		t.Errorf("GET until: got %q, want %q", listed, want)
	}
	if got, _ := set["until"].(string); got != listed || !strings.HasSuffix(got, "Z") {
		t.Errorf("POST until: got %q (sent %q), want it as GET lists it: %q", got, sent, listed)
	}
}
