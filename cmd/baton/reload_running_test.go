package main

import (
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestReloadedPrivacyNoticeStatesEnforcedRetention: a reload that shortens
// retention.turns changes the privacy notice at once, and the retention job
// enforces the new period from its next run (it reads the config in force),
// so the notice never states a period other than the one enforced; such a
// reload needs no restart. The same reload swaps the two notify sinks in
// the list, which changes no sink (they are known by id): no restart for
// notify either.
func TestReloadedPrivacyNoticeStatesEnforcedRetention(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	env["BATON_NOTIFY_URL"], env["BATON_SLACK_URL"] = "http://127.0.0.1:9/hook", "http://127.0.0.1:9/slack"
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string { return s })
	m := startBatonEnv(t, path, t.TempDir(), nil, env)

	writeConfig(t, path, func(s string) string {
		s = replaceOnce(t, s, "turns: 90d ", "turns: 30d ")
		hook := `  - {kind: webhook, url: "${BATON_NOTIFY_URL:-}", secret: "${BATON_NOTIFY_SECRET:-}", pii: true, send_closed: true}` + "\n"
		slack := `  - {kind: slack, url: "${BATON_SLACK_URL:-}", pii: false}` + "\n"
		return replaceOnce(t, s, hook+slack, slack+hook)
	})
	code, body := adminCall(t, m, http.MethodPost, "/admin/reload")
	if code != http.StatusOK {
		t.Fatalf("reload: got %d %v, want 200", code, body)
	}
	rec, _ := body["reload"].(map[string]any)
	if detail, _ := rec["detail"].(string); strings.Contains(detail, "restart needed") {
		t.Errorf("reload detail after a retention change and a reorder of the notify sinks: got %q, want no restart needed (for retention or notify)", detail)
	}
	_, out := postSkill(t, m, turn{User: "notice-after-reload", Block: "웰컴 블록"}.payload(), nil)
	if !strings.Contains(string(out), "대화 내용은 30일간") {
		t.Fatalf("welcome after the reload: got %s, want the notice to state 30일 for turns", out)
	}
	if got, want := m.housekeeping.retention().Turns, 30*24*time.Hour; got != want {
		t.Errorf("turns retention the hourly job enforces while the notice says 30일: got %v, want %v", got, want)
	}
}

// TestReloadRestartNoteComparesWithRunningValues: the restart-needed note
// compares with the values serve started with, not with the previous
// reload's, so a second reload that keeps a changed start-up section (here
// bot.name, which the dealer clients send) still notes it.
func TestReloadRestartNoteComparesWithRunningValues(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string { return s })
	m := startBatonEnv(t, path, t.TempDir(), nil, env)

	renamed := func(s string) string {
		return replaceOnce(t, s, "  name: 샘플몰 고객센터", "  name: 샘플몰 상담센터")
	}
	writeConfig(t, path, renamed)
	if code, body := adminCall(t, m, http.MethodPost, "/admin/reload"); code != http.StatusOK {
		t.Fatalf("first reload: got %d %v, want 200", code, body)
	}
	writeConfig(t, path, func(s string) string {
		return replaceOnce(t, renamed(s), "faq_misses: 2", "faq_misses: 3")
	})
	code, body := adminCall(t, m, http.MethodPost, "/admin/reload")
	if code != http.StatusOK {
		t.Fatalf("second reload: got %d %v, want 200", code, body)
	}
	rec, _ := body["reload"].(map[string]any)
	detail, _ := rec["detail"].(string)
	if !strings.Contains(detail, "restart needed for: bot.name") {
		t.Errorf("second reload's detail while bot.name still differs from the running value: got %q, want it to contain %q",
			detail, "restart needed for: bot.name")
	}
}

// TestReloadUnknownCalendarIsInvalidConfig: a reload naming a holiday
// calendar that is neither built in nor a file is refused as `baton
// validate` refuses it: 422 with a file:line:col message at the name.
func TestReloadUnknownCalendarIsInvalidConfig(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string { return s })
	m := startBatonEnv(t, path, t.TempDir(), nil, env)

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
