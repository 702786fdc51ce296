//go:build audit

package main

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
)

// TestAuditAcceptedOneOnOneHandoffOutlivesRetention demonstrates an audit
// finding (PIPA retention): docs/ops.md "Retention" deletes handoffs
// "ended this long ago (open ones stay)" and users "not seen for this long
// with nothing open". A 1:1 (notify) handoff that an agent accepted but
// never ended (no end link clicked, and the user never wrote to the bot
// again) never ends: the idle timer that closes a quiet human session is
// planned for dealer queues only (handoff/timers_effects.go Plan,
// p.DealerQueues). Its handoff row, the users row and the conversation are
// then kept for ever, past retention.handoffs and retention.users.
func TestAuditAcceptedOneOnOneHandoffOutlivesRetention(t *testing.T) {
	t.Setenv("BATON_ADMIN_TOKEN", e2eAdminToken)
	clock := &testClock{t: mondayMorning}
	m := startBaton(t, exampleConfig, t.TempDir(), clock)
	s := newSession(t, m, clock, "u-audit-forever")
	s.welcome()
	toWaiting(s)
	id, _, _, _ := s.handoff()
	if code, body := adminCall(t, m, http.MethodPost, "/admin/handoffs/"+id+"/accept"); code != http.StatusOK {
		t.Fatalf("accept: got %d %v", code, body)
	}
	s.wantState(fsm.StateHuman)

	later := clock.Now().Add(2 * 366 * 24 * time.Hour) // past retention.users (365d) and handoffs (90d)
	if _, err := m.DB.Prune(context.Background(), later, retentionPolicy(m.Config.Retention)); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := m.DB.ReadDB().QueryRow(`SELECT COUNT(*) FROM users WHERE key = ?`, s.user).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("two years after an accepted 1:1 handoff nobody ended: got the users row kept (handoff %s still open), want it gone with retention", id)
	}
}
