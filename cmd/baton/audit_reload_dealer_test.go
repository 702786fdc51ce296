//go:build audit

package main

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// TestAuditReloadAcceptsQueueOnRestartOnlyDealer demonstrates an audit
// finding (BUG): `dealers` is read only at start-up, yet a reload that adds
// a dealer and points a queue at it in the same edit is answered "ok" with
// only a "restart needed for: dealers" note. From then on every handoff to
// that queue fails in the router ("dealer:<name>: no such dealer") and
// becomes a dealer_failed ticket while the user is told a counsellor is
// being connected. docs/admin-api.md "Reload" promises the other sections
// are applied; applying a queue whose target the running process cannot
// reach should be refused (409/422) instead.
func TestAuditReloadAcceptsQueueOnRestartOnlyDealer(t *testing.T) {
	t.Setenv("BATON_ADMIN_TOKEN", e2eAdminToken)
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string { return s })
	m := startBaton(t, path, t.TempDir(), nil)
	v0 := readyVersion(t, m)

	writeConfig(t, path, func(s string) string {
		s = strings.Replace(s, "general: {target: notify, hours: office}",
			`general: {target: "dealer:newd", hours: office}`, 1)
		return strings.Replace(s, "dealers:\n  happytalk:",
			"dealers:\n  newd: {url: \"http://127.0.0.1:9/x\", secret: \"s3cret\"}\n  happytalk:", 1)
	})
	code, body := adminCall(t, m, http.MethodPost, "/admin/reload")
	if code == http.StatusOK {
		t.Errorf("reload retargeting queue general to a dealer added in the same edit: got %d %v, want a refusal (the dealer exists only after a restart)", code, body)
	}
	if got := readyVersion(t, m); got != v0 {
		t.Errorf("config version after the reload: got %s, want %s (unchanged)", got, v0)
	}
}
