package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// externalStart posts a session.started for a user Baton holds no handoff
// for (the dealer opened the session itself) and returns the queue of the
// external handoff it opened.
func externalStart(t *testing.T, m *Main, secret, user, id string) string {
	t.Helper()
	started := map[string]any{"version": 1, "id": id, "type": "session.started",
		"at": time.Now().UTC().Format(time.RFC3339), "user": map[string]any{"plusfriend_user_key": "pf-" + user}}
	if code := dealerEvent(t, m, secret, started); code != http.StatusOK {
		t.Fatalf("session.started: got %d, want 200", code)
	}
	var queue string
	if err := m.DB.ReadDB().QueryRow(`SELECT queue FROM handoffs WHERE user_key = ?`, user).Scan(&queue); err != nil {
		t.Fatalf("external handoff: %v", err)
	}
	return queue
}

// TestReloadMovesExternalDealerQueue: after a reload renames the dealer's
// queue, a dealer session Baton did not start opens its handoff in the
// queue of the config in force (dealer-contract.md §3.1), not the removed
// one.
func TestReloadMovesExternalDealerQueue(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	dealer := newSinkRecorder(t)
	env["BATON_DEALER_URL"] = dealer.srv.URL + "/baton"
	env["BATON_DEALER_SECRET"] = e2eDealerSecret
	clock := &testClock{t: mondayMorning}
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string { return s })
	m := startBatonEnv(t, path, t.TempDir(), clock, env)
	s := newSession(t, m, clock, "u-external")
	s.welcome()

	writeConfig(t, path, func(s string) string {
		s = replaceOnce(t, s, `    vip: {target: "dealer:happytalk"`, `    vipdesk: {target: "dealer:happytalk"`)
		return replaceOnce(t, s, "handoff: vip}", "handoff: vipdesk}")
	})
	reloadOK(t, m)

	if got, want := externalStart(t, m, e2eDealerSecret, s.user, "ev-ext-start"), "vipdesk"; got != want {
		t.Errorf("external handoff queue after the reload: got %q, want %q (the config in force)", got, want)
	}
}

// TestReloadPointsQueueAtRunningDealer: a one_on_one channel that switches
// to 상담톡 by a reload (its dealer ran since start-up, unreferenced) gets
// the dealer's events for the queue now pointed at it, still verified with
// the secret serve started with: a reload changes queues, not dealers.
func TestReloadPointsQueueAtRunningDealer(t *testing.T) {
	t.Setenv("BATON_ADMIN_TOKEN", e2eAdminToken)
	dealer := newSinkRecorder(t)
	t.Setenv("BATON_DEALER_URL", dealer.srv.URL+"/baton")
	t.Setenv("BATON_DEALER_SECRET", e2eDealerSecret)
	clock := &testClock{t: mondayMorning}
	path := filepath.Join(t.TempDir(), "baton.yaml")
	shipped, err := os.ReadFile(shippedExample)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, shipped, 0o600); err != nil {
		t.Fatal(err)
	}
	m := startBaton(t, path, t.TempDir(), clock)
	s := newSession(t, m, clock, "u-switch")
	s.welcome()

	writeConfig(t, path, func(s string) string { return s }) // the 상담톡 form
	t.Setenv("BATON_DEALER_SECRET", "a-secret-for-the-next-start")
	code, body := adminCall(t, m, http.MethodPost, "/admin/reload")
	if code != http.StatusOK {
		t.Fatalf("reload: got %d %v, want 200", code, body)
	}
	rec, _ := body["reload"].(map[string]any)
	if detail, _ := rec["detail"].(string); !strings.Contains(detail, "dealers") {
		t.Errorf("reload detail after changing the dealer secret: got %q, want a restart note naming dealers", detail)
	}

	if got, want := externalStart(t, m, e2eDealerSecret, s.user, "ev-switch-start"), "vip"; got != want {
		t.Errorf("external handoff queue after the reload: got %q, want %q", got, want)
	}
}

// TestReloadNamesStartOnlyFields: texts.callback_wait and bot.name are read
// only when serve starts, so a reload that changes them says a restart is
// needed (docs/admin-api.md, Reload).
func TestReloadNamesStartOnlyFields(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, old, new string }{
		{"texts.callback_wait", "texts:\n  fallback:", "texts:\n  callback_wait: 곧 답변을 보내 드릴게요.\n  fallback:"},
		{"bot.name", "bot:\n  name: 샘플몰 고객센터", "bot:\n  name: 샘플몰 상담센터"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "baton.yaml")
			writeConfig(t, path, func(s string) string { return s })
			m := startBatonEnv(t, path, t.TempDir(), nil, testEnv{"BATON_ADMIN_TOKEN": e2eAdminToken})
			writeConfig(t, path, func(s string) string { return replaceOnce(t, s, tc.old, tc.new) })
			code, body := adminCall(t, m, http.MethodPost, "/admin/reload")
			if code != http.StatusOK {
				t.Fatalf("reload: got %d %v, want 200", code, body)
			}
			rec, _ := body["reload"].(map[string]any)
			detail, _ := rec["detail"].(string)
			if !strings.Contains(detail, "restart needed") {
				t.Errorf("reload detail after changing %s: got %q, want a \"restart needed for\" note (it applies only after a restart)", tc.name, detail)
			}
			if !strings.Contains(detail, tc.name) {
				t.Errorf("reload detail after changing %s: got %q, want it named", tc.name, detail)
			}
		})
	}
}
