package main

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// TestMenuTapSurvivesUnrelatedReload: a quick reply from before a reload
// that only changed an FAQ answer is answered as a normal tap (the new
// answer, no texts.stale_tap); once a reload renames the option, the same
// tap gets texts.stale_tap and the current menu. The tap goes the whole way:
// rendered extra, Kakao's clientExtra, the engine of the new config.
func TestMenuTapSurvivesUnrelatedReload(t *testing.T) {
	t.Setenv("BATON_ADMIN_TOKEN", e2eAdminToken)
	clock := &testClock{t: mondayMorning}
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string { return s })
	m := startBaton(t, path, t.TempDir(), clock)
	const user = "tap-reload"
	tapOn := func(r response, label string) response {
		t.Helper()
		text, extra := r.quickReply(t, label)
		clock.Advance(3e9)
		return validTurn(t, m, turn{User: user, Utterance: text, Extra: extra, IsFriend: true,
			Trigger: "QUICKREPLY_BUTTON_MESSAGE"}.payload(), false)
	}
	reload := func(edit func(string) string) {
		t.Helper()
		writeConfig(t, path, edit)
		if code, body := adminCall(t, m, http.MethodPost, "/admin/reload"); code != http.StatusOK {
			t.Fatalf("reload: got %d %v, want 200", code, body)
		}
	}
	r := validTurn(t, m, turn{User: user, Block: "웰컴 블록", IsFriend: true}.payload(), false)
	r = tapOn(tapOn(r, "주문/배송"), "배송 조회")
	old := r // the tracking menu, as rendered before any reload
	stale := m.Config.Texts.StaleTap

	const oldAnswer, newAnswer = "출고 후 송장 정보가", "앱 알림으로도 송장 정보가"
	newFAQ := func(s string) string { return replaceOnce(t, s, oldAnswer, newAnswer) }
	reload(newFAQ)
	got := tapOn(old, "배송 조회 방법").text()
	if !strings.Contains(got, newAnswer) || strings.Contains(got, stale) {
		t.Fatalf("old tap after an FAQ answer changed: got %s, want the new answer without %q", got, stale)
	}

	reload(func(s string) string {
		return replaceOnce(t, newFAQ(s), "label: 배송 조회 방법,", "label: 조회 방법 안내,")
	})
	got = tapOn(old, "배송 조회 방법").text()
	if !strings.Contains(got, stale) || strings.Contains(got, newAnswer) {
		t.Fatalf("old tap after its option was renamed: got %s, want %q and the current menu", got, stale)
	}
}
