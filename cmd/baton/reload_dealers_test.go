package main

import (
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// TestReloadRefusesQueueOnRestartOnlyDealer: `dealers` is read only at
// start-up, so a reload that adds a dealer and points a queue at it in the
// same edit is refused with 422 naming the queue and the dealer, and the
// config in force stays. Retargeting a queue to a dealer the running
// process has is applied.
func TestReloadRefusesQueueOnRestartOnlyDealer(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	for _, tc := range []struct {
		name, target string
		refused      bool
	}{
		{"dealer added in the same edit", "dealer:newd", true},
		{"dealer running since start-up", "dealer:happytalk", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "baton.yaml")
			writeConfig(t, path, func(s string) string { return s })
			m := startBatonEnv(t, path, t.TempDir(), nil, env)
			v0 := readyVersion(t, m)

			writeConfig(t, path, func(s string) string {
				s = strings.Replace(s, "general: {target: notify, hours: office}",
					fmt.Sprintf("general: {target: %q, hours: office}", tc.target), 1)
				return strings.Replace(s, "dealers:\n  happytalk:",
					"dealers:\n  newd: {url: \"http://127.0.0.1:9/x\", secret: \"s3cret\"}\n  happytalk:", 1)
			})
			code, body := adminCall(t, m, http.MethodPost, "/admin/reload")
			if !tc.refused {
				if code != http.StatusOK {
					t.Fatalf("reload retargeting queue general to %s: got %d %v, want 200", tc.target, code, body)
				}
				if got := readyVersion(t, m); got == v0 {
					t.Errorf("config version after the reload: got %s, want a new one", got)
				}
				return
			}
			if code == http.StatusOK {
				t.Errorf("reload retargeting queue general to a dealer added in the same edit: got %d %v, want a refusal (the dealer exists only after a restart)", code, body)
			}
			if code != http.StatusUnprocessableEntity {
				t.Errorf("reload status: got %d, want %d", code, http.StatusUnprocessableEntity)
			}
			if msg, _ := body["error"].(string); !strings.Contains(msg, `queue "general"`) || !strings.Contains(msg, `dealer "newd"`) {
				t.Errorf("refusal: got %q, want it to name queue \"general\" and dealer \"newd\"", msg)
			}
			if got := readyVersion(t, m); got != v0 {
				t.Errorf("config version after the reload: got %s, want %s (unchanged)", got, v0)
			}
		})
	}
}
