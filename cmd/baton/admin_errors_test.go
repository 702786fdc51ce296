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
	t.Setenv("BATON_ADMIN_TOKEN", e2eAdminToken)
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string { return s })
	m := startBaton(t, path, t.TempDir(), nil)

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
