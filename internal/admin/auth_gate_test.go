package admin_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/baton-chat/baton/internal/admin"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/labstack/echo/v5"
)

// TestUnauthenticatedLearnsNoRoutes: without a valid token every path and
// method under /admin answers the same 401 — unknown paths, known paths with
// a method they do not take, OPTIONS and HEAD included — so a caller without
// a token cannot tell which routes exist. With a token the router's 404 and
// 405 stay. Both ways echo can mount a group are checked: baton serve's
// (NoGroupAutoRegister404Routes, where a group's middleware runs only on its
// routes) and echo's default.
func TestUnauthenticatedLearnsNoRoutes(t *testing.T) {
	for _, ec := range []struct {
		name string
		cfg  echo.Config
	}{
		{"serve's echo", echo.Config{NoGroupAutoRegister404Routes: true}},
		{"default echo", echo.Config{}},
	} {
		t.Run(ec.name, func(t *testing.T) {
			f := newFixtureEcho(t, testutil.Store(t), false, admin.Options{}, echo.NewWithConfig(ec.cfg))
			checkNoRoutesLearned(t, f)
		})
	}
}

// checkNoRoutesLearned is TestUnauthenticatedLearnsNoRoutes on f.
func checkNoRoutesLearned(t *testing.T, f *fixture) {
	t.Helper()
	const id = "01JD0000000000000000000000"
	tests := []struct {
		name, method, path string
		authed             int // the status with the bootstrap token
	}{
		{"known route", http.MethodGet, "/admin/whoami", http.StatusOK},
		{"unknown path", http.MethodGet, "/admin/no-such-route", http.StatusNotFound},
		{"unknown nested path", http.MethodPost, "/admin/tickets/" + id + "/reopen", http.StatusNotFound},
		{"the prefix itself", http.MethodGet, "/admin", http.StatusNotFound},
		{"the prefix with a slash", http.MethodGet, "/admin/", http.StatusNotFound},
		{"escaped slash", http.MethodGet, "/admin%2Fwhoami", http.StatusNotFound},
		{"wrong method", http.MethodGet, "/admin/reload", http.StatusMethodNotAllowed},
		{"wrong method with an id", http.MethodPut, "/admin/handoffs/" + id, http.StatusMethodNotAllowed},
		{"wrong method on a master route", http.MethodPatch, "/admin/tokens", http.StatusMethodNotAllowed},
		{"OPTIONS", http.MethodOptions, "/admin/tickets", http.StatusNoContent},
		{"HEAD", http.MethodHead, "/admin/handoffs", http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, who := range []struct{ token, error, challenge string }{
				{"", "missing admin token", `Bearer realm="baton-admin"`},
				{"not-a-token", "invalid admin token", `Bearer realm="baton-admin", error="invalid_token"`},
			} {
				code, h, raw := f.send(t, tt.method, tt.path, who.token, nil)
				if code != http.StatusUnauthorized {
					t.Errorf("%s %s with token %q: got %d %s, want 401", tt.method, tt.path, who.token, code, raw)
					continue
				}
				if got := h.Get("WWW-Authenticate"); got != who.challenge {
					t.Errorf("%s %s with token %q: got WWW-Authenticate %q, want %q", tt.method, tt.path, who.token, got, who.challenge)
				}
				if got := h.Get("Allow"); got != "" {
					t.Errorf("%s %s with token %q: got Allow %q, want none (it names the route's methods)", tt.method, tt.path, who.token, got)
				}
				if tt.method == http.MethodHead {
					continue // no body
				}
				var body map[string]string
				if err := json.Unmarshal(raw, &body); err != nil || len(body) != 1 || !strings.HasPrefix(body["error"], who.error) {
					t.Errorf("%s %s with token %q: got body %s, want {\"error\": %q...}", tt.method, tt.path, who.token, raw, who.error)
				}
			}
			if code, _, raw := f.send(t, tt.method, tt.path, bootToken, nil); code != tt.authed {
				t.Errorf("%s %s with the admin token: got %d %s, want %d", tt.method, tt.path, code, raw, tt.authed)
			}
		})
	}

	// Paths outside /admin are not the admin API's: no token is asked for.
	for _, path := range []string{"/administrator", "/no-such-route"} {
		if code, _, raw := f.send(t, http.MethodGet, path, "", nil); code != http.StatusNotFound {
			t.Errorf("GET %s without a token: got %d %s, want 404", path, code, raw)
		}
	}
}
