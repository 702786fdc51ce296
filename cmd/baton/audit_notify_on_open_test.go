//go:build audit

package main

import (
	"testing"

	"github.com/baton-chat/baton/fsm"
)

// TestAuditNotifyOnOpenOfferedWithoutEventAPI demonstrates an audit finding
// (BUG): with event_api.rest_api_key empty (the example config's default
// when BATON_EVENT_API_KEY is unset; serve logs "event api disabled ...
// notifications stay pending") Baton still offers a friend "열리면
// 알려주세요" out of hours and answers "상담 시간이 시작되면 알려드릴게요" —
// a promise it cannot keep: the reopen message is only ever sent through
// the Event API (DESIGN §6, README "Messages after the fact"). The same
// holds for ticket answers (POST /admin/tickets/{id}/answer answers 200 and
// "answered" while nothing can reach the user). The offer should depend on
// the Event API being enabled and the reopen event being configured.
func TestAuditNotifyOnOpenOfferedWithoutEventAPI(t *testing.T) {
	t.Setenv("BATON_EVENT_API_KEY", "")
	clock := &testClock{t: sundayNight}
	m := startBaton(t, exampleConfig, t.TempDir(), clock)
	s := newSession(t, m, clock, "u-audit-reopen")
	s.welcome()
	s.say("상담원")
	s.wantState(fsm.StateAfterHours)
	if s.hasQuickReply("열리면 알려주세요") {
		t.Errorf("after hours with the Event API disabled: got the 열리면 알려주세요 quick reply, want it left out (nothing can be sent)")
	}
}
