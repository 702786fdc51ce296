package main

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"
)

// TestAdminUnknownRoutesAnswerError: unknown admin routes and methods answer
// {"error": "..."} like every other admin API error, not echo's
// {"message": "..."}.
func TestAdminUnknownRoutesAnswerError(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string { return s })
	m := startBatonEnv(t, path, t.TempDir(), nil, env)

	for _, tc := range []struct {
		name, method, path string
		want               int
	}{
		{"unknown admin route", http.MethodGet, "/admin/no-such-route", http.StatusNotFound},
		{"unknown top-level route", http.MethodGet, "/no-such-route", http.StatusNotFound},
		{"wrong method", http.MethodPost, "/readyz", http.StatusMethodNotAllowed},
		{"wrong method on an admin route", http.MethodGet, "/admin/reload", http.StatusMethodNotAllowed},
		{"wrong method on an admin route with an id", http.MethodPut, "/admin/handoffs/01JD0000000000000000000000", http.StatusMethodNotAllowed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, raw := adminRaw(t, m, e2eAdminToken, tc.method, tc.path, "")
			if code != tc.want {
				t.Errorf("%s %s: got %d, want %d", tc.method, tc.path, code, tc.want)
			}
			var body map[string]any
			if err := json.Unmarshal(raw, &body); err != nil {
				t.Fatalf("%s %s: got body %q, want JSON: %v", tc.method, tc.path, raw, err)
			}
			if msg, _ := body["error"].(string); msg == "" || len(body) != 1 {
				t.Errorf("%s %s: got %s, want {\"error\": \"...\"} only", tc.method, tc.path, raw)
			}
		})
	}
}

// TestAdminUnauthenticatedLearnsNoRoutes: on the admin address a caller
// without a valid admin token gets the same 401 for every path and method
// under /admin, so it cannot probe which routes exist; the probes and
// profiles beside the admin API stay open, as before.
func TestAdminUnauthenticatedLearnsNoRoutes(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string { return s })
	m := startBatonEnv(t, path, t.TempDir(), nil, env)

	// The answer a request without a token gets on a real route.
	_, want := adminRaw(t, m, "", http.MethodGet, "/admin/whoami", "")
	for _, tc := range []struct{ method, path string }{
		{http.MethodGet, "/admin/no-such-route"},
		{http.MethodGet, "/admin"},
		{http.MethodGet, "/admin/reload"},
		{http.MethodPut, "/admin/handoffs/01JD0000000000000000000000"},
		{http.MethodOptions, "/admin/report/unanswered"},
		{http.MethodPost, "/admin/report/unanswered"},
	} {
		code, raw := adminRaw(t, m, "", tc.method, tc.path, "")
		if code != http.StatusUnauthorized || string(raw) != string(want) {
			t.Errorf("%s %s without a token: got %d %s, want 401 %s", tc.method, tc.path, code, raw, want)
		}
		code, raw = adminRaw(t, m, "wrong-token", tc.method, tc.path, "")
		if code != http.StatusUnauthorized {
			t.Errorf("%s %s with a wrong token: got %d %s, want 401", tc.method, tc.path, code, raw)
		}
	}
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{http.MethodGet, "/readyz", http.StatusOK},
		{http.MethodGet, "/metrics", http.StatusOK},
		{http.MethodGet, "/debug/pprof/cmdline", http.StatusOK},
		{http.MethodPost, "/readyz", http.StatusMethodNotAllowed},
		{http.MethodGet, "/no-such-route", http.StatusNotFound},
	} {
		if code, raw := adminRaw(t, m, "", tc.method, tc.path, ""); code != tc.want {
			t.Errorf("%s %s without a token: got %d %.200s, want %d", tc.method, tc.path, code, raw, tc.want)
		}
	}
}
