package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/baton-chat/baton/fsm"
)

// TestLinkAfterAcceptedCancelSaysSomeoneTookIt: an agent accepted the
// handoff (link page: 상담을 시작했습니다), then the user's 상담 취소 reached
// the bot (rowCancelAccepted: end reason user_cancel, accepted_at kept).
// The same agent's end link then must not say "아무도 맡지 않은 상담입니다"
// (nobody took it), which is false: they did, and handoff.closed says
// accepted:true. It says the handoff an agent took has ended
// (texts.link_agent_ended).
func TestLinkAfterAcceptedCancelSaysSomeoneTookIt(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)
	s := newSession(t, m, clock, "u-accept-cancel")
	s.welcome()
	toWaiting(s)
	id, _, _, _ := s.handoff()
	code, links := adminCall(t, m, http.MethodPost, "/admin/handoffs/"+id+"/links")
	accept, _ := links["accept"].(string)
	end, _ := links["end"].(string)
	if code != http.StatusOK || accept == "" {
		t.Fatalf("links: got %d %v", code, links)
	}
	if st, page := followLink(t, accept); st != http.StatusOK || !strings.Contains(page, "상담을 시작했습니다") {
		t.Fatalf("accept: got %d %q", st, page)
	}
	s.wantState(fsm.StateHuman)
	s.tap("상담 취소") // the waiting reply's button, tapped as the agent took it
	s.wantState(fsm.StateBot)
	_, hv := adminCall(t, m, http.MethodGet, "/admin/handoffs/"+id)
	h, _ := hv["handoff"].(map[string]any)
	if h["accepted_at"] == nil || h["end_reason"] != "user_cancel" {
		t.Fatalf("handoff: %v, want accepted and ended by user_cancel", h)
	}
	st, page := followLink(t, end)
	if strings.Contains(page, "아무도 맡지 않은") {
		t.Errorf("end link of a handoff the agent accepted (accepted_at %v) before the user cancelled: got %d %q, "+
			"which tells the agent nobody took it", h["accepted_at"], st, page)
	}
	if want := "상담원이 맡았던 상담이 이미 종료되었습니다"; st != http.StatusOK || !strings.Contains(page, want) || strings.Contains(page, "<form") {
		t.Errorf("end link after the cancel: got %d %q, want 200 with %q and no button", st, page, want)
	}
	s.wantState(fsm.StateBot)
}
