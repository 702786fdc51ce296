//go:build audit

package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/baton-chat/baton/fsm"
)

// TestAuditAcceptLinkAfterCancelSaysAlreadyHandled demonstrates an audit
// finding (agent-facing): docs/notify-webhook.md §2 says following a link
// again "is harmless (the page says what already happened)". An agent who
// follows the accept link of a 1:1 handoff that nobody took — the user
// cancelled it, or notify wait_timeout (30m) closed it silently — gets
// "이미 처리되었습니다" (already handled), so the agent believes a colleague
// has the user and moves on, although nobody does (and with one_on_one the
// user may still sit in the 1:1 chat). The page should name what happened
// (cancelled / timed out / not connected / ended by an agent).
func TestAuditAcceptLinkAfterCancelSaysAlreadyHandled(t *testing.T) {
	t.Setenv("BATON_ADMIN_TOKEN", e2eAdminToken)
	clock := &testClock{t: mondayMorning}
	m := startBaton(t, exampleConfig, t.TempDir(), clock)
	s := newSession(t, m, clock, "u-audit-link")
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
	status, page := getLink(t, accept)
	if strings.Contains(page, "이미 처리되었습니다") {
		t.Errorf("accept link of a handoff the user cancelled: got %d %q, want a page saying the user cancelled (nobody took it)", status, page)
	}
}
