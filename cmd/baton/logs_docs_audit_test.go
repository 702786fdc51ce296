//go:build audit

package main

import (
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baton-chat/baton/internal/testlog"
)

// TestAuditConfigWarningsLogNoSinkURL shows a bug: the config warning for a
// notify webhook whose url is not https quotes the url (configs/validate.go:
// `notify N (webhook) url "…" is not https`), and serve logs every warning at
// start and on each reload as "config warning" (configs.LogWarnings), and the
// reload history keeps it in `reloads.detail`, which any admin token (a
// manager too) reads through GET /admin/reloads. A sink URL often is the
// secret (a token in its path or query). README ("Personal data") and
// docs/ops.md ("Masking") promise logs carry no "token or secret URL" / no
// "dealer/sink/link URL". The same holds for the errors that quote a dealer
// or sink url (e.g. `dealer "x" url "…" must be https`), printed by serve on
// a failed start and kept by a refused reload.
func TestAuditConfigWarningsLogNoSinkURL(t *testing.T) {
	t.Setenv("BATON_ADMIN_TOKEN", e2eAdminToken)
	const secret = "sink-secret-token-5Xq8"
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string {
		return replaceOnce(t, s, `{kind: slack, url: "${BATON_SLACK_URL:-}", pii: false}`,
			`{kind: webhook, url: "http://hooks.example.com/in?token=`+secret+`", pii: false}`)
	})
	var logs testlog.Buffer
	m := startBatonLogging(t, path, t.TempDir(), nil, slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if code, body := adminCall(t, m, http.MethodPost, "/admin/reload"); code != http.StatusOK {
		t.Fatalf("reload: got %d %v, want 200", code, body)
	}
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, secret) {
			t.Errorf("log line carries the sink url: got %s, want no url", line)
		}
	}
	_, reloads := adminRaw(t, m, e2eAdminToken, http.MethodGet, "/admin/reloads", "")
	if strings.Contains(string(reloads), secret) {
		t.Errorf("GET /admin/reloads carries the sink url: got %s, want no url", reloads)
	}
}
