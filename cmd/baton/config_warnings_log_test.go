package main

import (
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baton-chat/baton/internal/testlog"
)

// TestConfigWarningsLogNoSinkURL: the config warning for a notify webhook
// whose url is not https names the sink and the url's scheme and host only,
// so neither serve's log (at start and on a reload) nor the reload history
// (GET /admin/reloads) carries a token in the url's path or query.
func TestConfigWarningsLogNoSinkURL(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	const secret = "sink-secret-token-5Xq8"
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string {
		return replaceOnce(t, s, `{kind: slack, url: "${BATON_SLACK_URL:-}", pii: false}`,
			`{kind: webhook, url: "http://hooks.example.com/in?token=`+secret+`", pii: false}`)
	})
	var logs testlog.Buffer
	m := startBatonLogging(t, path, t.TempDir(), nil, slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})), env.configure)
	if code, body := adminCall(t, m, http.MethodPost, "/admin/reload"); code != http.StatusOK {
		t.Fatalf("reload: got %d %v, want 200", code, body)
	}
	warned := false
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, secret) {
			t.Errorf("log line carries the sink url: got %s, want no url", line)
		}
		warned = warned || strings.Contains(line, "http://hooks.example.com is not https")
	}
	if !warned {
		t.Errorf("logs: got no warning naming http://hooks.example.com, want the not-https warning with scheme and host")
	}
	_, reloads := adminRaw(t, m, e2eAdminToken, http.MethodGet, "/admin/reloads", "")
	if strings.Contains(string(reloads), secret) {
		t.Errorf("GET /admin/reloads carries the sink url: got %s, want no url", reloads)
	}
}
