package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/baton-chat/baton/fsm"
)

// TestAcceptLinkAfterCancelSaysCancelled: an agent who follows the accept
// link of a 1:1 handoff the user cancelled is told so (nobody took it), not
// "이미 처리되었습니다", which reads as a colleague having the user
// (docs/notify-webhook.md: "the page says what already happened").
func TestAcceptLinkAfterCancelSaysCancelled(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)
	s := newSession(t, m, clock, "u-link-cancel")
	s.welcome()
	toWaiting(s)
	id, _, _, _ := s.handoff()
	code, links := adminCall(t, m, http.MethodPost, "/admin/handoffs/"+id+"/links")
	accept, _ := links["accept"].(string)
	if code != http.StatusOK || accept == "" {
		t.Fatalf("links: got %d %v", code, links)
	}
	s.tap("상담 취소")
	s.wantState(fsm.StateBot)
	if _, _, reason, ended := s.handoff(); !ended {
		t.Fatalf("handoff not ended after 상담 취소 (reason %q)", reason)
	}
	status, page := followLink(t, accept)
	if strings.Contains(page, "이미 처리되었습니다") {
		t.Errorf("accept link of a handoff the user cancelled: got %d %q, want a page saying the user cancelled (nobody took it)", status, page)
	}
	if want := "고객이 상담 요청을 취소했습니다"; status != http.StatusOK || !strings.Contains(page, want) {
		t.Errorf("accept link of a handoff the user cancelled: got %d %q, want 200 with %q", status, page, want)
	}
	s.wantState(fsm.StateBot)
}
