//go:build audit

package main

import (
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestAuditReloadedPrivacyNoticeStatesEnforcedRetention shows a bug: a
// reload that shortens retention.turns changes the privacy notice users see
// at once ({retention.turns} renders the new period), while the hourly
// retention job keeps the period serve started with until a restart
// (cmd/baton/housekeeping.go: retentionPolicy(cfg.Retention) at start-up).
// docs/ops.md ("Retention (PIPA)") promises the placeholder "always states
// the configured periods"; after such a reload users are told 30일 while
// their turns are kept 90 days.
func TestAuditReloadedPrivacyNoticeStatesEnforcedRetention(t *testing.T) {
	t.Setenv("BATON_ADMIN_TOKEN", e2eAdminToken)
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string { return s })
	m := startBaton(t, path, t.TempDir(), nil)

	writeConfig(t, path, func(s string) string { return replaceOnce(t, s, "turns: 90d ", "turns: 30d ") })
	if code, body := adminCall(t, m, http.MethodPost, "/admin/reload"); code != http.StatusOK {
		t.Fatalf("reload: got %d %v, want 200", code, body)
	}
	_, out := postSkill(t, m, turn{User: "notice-after-reload", Block: "웰컴 블록"}.payload(), nil)
	if !strings.Contains(string(out), "대화 내용은 30일간") {
		t.Fatalf("welcome after the reload: got %s, want the notice to state 30일 for turns", out)
	}
	if got, want := m.housekeeping.retention.Turns, 30*24*time.Hour; got != want {
		t.Errorf("turns retention the hourly job enforces while the notice says 30일: got %v, want %v", got, want)
	}
}

// TestAuditReloadRestartNoteComparesWithRunningValues shows a bug:
// restartSections (cmd/baton/reload.go) compares the new config with the
// previous reload's, not with the values serve started with. A first reload
// that changes retention notes "restart needed for: retention"; a second
// reload that keeps the changed retention (and edits something else) is
// recorded as plain "ok", although retention is still the start-up value.
// docs/admin-api.md ("Reload") promises that a reload changing a start-up
// section notes "restart needed for: ..." in the history and the log.
func TestAuditReloadRestartNoteComparesWithRunningValues(t *testing.T) {
	t.Setenv("BATON_ADMIN_TOKEN", e2eAdminToken)
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string { return s })
	m := startBaton(t, path, t.TempDir(), nil)

	shorter := func(s string) string { return replaceOnce(t, s, "turns: 90d ", "turns: 30d ") }
	writeConfig(t, path, shorter)
	if code, body := adminCall(t, m, http.MethodPost, "/admin/reload"); code != http.StatusOK {
		t.Fatalf("first reload: got %d %v, want 200", code, body)
	}
	writeConfig(t, path, func(s string) string {
		return replaceOnce(t, shorter(s), "faq_misses: 2", "faq_misses: 3")
	})
	code, body := adminCall(t, m, http.MethodPost, "/admin/reload")
	if code != http.StatusOK {
		t.Fatalf("second reload: got %d %v, want 200", code, body)
	}
	rec, _ := body["reload"].(map[string]any)
	detail, _ := rec["detail"].(string)
	if !strings.Contains(detail, "restart needed for: retention") {
		t.Errorf("second reload's detail while retention still differs from the running value: got %q, want it to contain %q",
			detail, "restart needed for: retention")
	}
}

// TestAuditReloadUnknownCalendarIsInvalidConfig shows a bug: a config that
// names a holiday calendar that is neither built in nor a file is a config
// error for `baton validate` (file:line:col at the name), but POST
// /admin/reload answers 500 {"error":"reload failed"} and records it as
// `failed` without a position: ConfigReloader loads with configs.Load, not
// with the calendar check validate passes (cmd/baton/validate.go), and the
// error surfaces later from handoff.NewHours in applyConfig.
// docs/admin-api.md ("Reload") promises 422 with file:line:col messages for
// an invalid config; docs/hours.md says such a reload "reports the error".
func TestAuditReloadUnknownCalendarIsInvalidConfig(t *testing.T) {
	t.Setenv("BATON_ADMIN_TOKEN", e2eAdminToken)
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string { return s })
	m := startBaton(t, path, t.TempDir(), nil)

	writeConfig(t, path, func(s string) string { return replaceOnce(t, s, "holidays: [kr]", "holidays: [kr, acme]") })
	code, body := adminCall(t, m, http.MethodPost, "/admin/reload")
	msg, _ := body["error"].(string)
	if code != http.StatusUnprocessableEntity {
		t.Errorf("reload naming an unknown calendar: got %d %q, want 422", code, msg)
	}
	if !regexp.MustCompile(regexp.QuoteMeta(filepath.Base(path)) + `:\d+:\d+: `).MatchString(msg) {
		t.Errorf("reload error: got %q, want a file:line:col message at the calendar name", msg)
	}
}
