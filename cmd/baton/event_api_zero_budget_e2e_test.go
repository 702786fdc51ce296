package main

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// TestEventAPIZeroBudgetRecordsNoCSATRequest: daily_budget_won 0 sends
// nothing (every message would be skipped over the budget), as a missing
// rest_api_key does (ticketReplyOff's rule): a dealer session ended by
// session.ended then records no csat notification, which could never be
// sent (Effects.NoCSATEvent; NoWaitTimeoutEvent follows the same rule).
func TestEventAPIZeroBudgetRecordsNoCSATRequest(t *testing.T) {
	t.Parallel()
	kakao := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	t.Cleanup(kakao.Close)
	dealer := newSinkRecorder(t)
	env := testEnv{
		"BATON_EVENT_API_URL": kakao.URL,
		"BATON_EVENT_API_KEY": "e2e-key",
		"BATON_DEALER_URL":    dealer.srv.URL + "/baton",
		"BATON_DEALER_SECRET": e2eDealerSecret,
	}
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string {
		out := strings.Replace(s, "daily_budget_won: 30000", "daily_budget_won: 0", 1)
		if out == s {
			t.Fatal("setup: the example config has no daily_budget_won: 30000")
		}
		return out
	})
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, path, t.TempDir(), clock, env)
	s := newSession(t, m, clock, "u-zero-budget")
	s.welcome()
	toDealerWaiting(s)
	id, _, _, _ := s.handoff()
	for _, ev := range []map[string]any{
		{"version": 1, "id": "ev-zb-start", "type": "session.started", "handoff_id": id,
			"at": time.Now().UTC().Format(time.RFC3339), "agent": map[string]any{"id": "a1", "name": "김상담"}},
		{"version": 1, "id": "ev-zb-end", "type": "session.ended", "handoff_id": id,
			"at": time.Now().UTC().Format(time.RFC3339), "end_type": "agent"},
	} {
		if status := dealerEvent(t, m, e2eDealerSecret, ev); status != http.StatusOK {
			t.Fatalf("%s: got %d, want 200", ev["type"], status)
		}
	}
	s.wantState(fsm.StateBot)
	var n int
	if err := m.DB.ReadDB().QueryRow(`SELECT COUNT(*) FROM notifications WHERE user_key = ? AND kind = ?`,
		s.user, store.NotifyCSAT).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("csat notifications after session.ended with daily_budget_won 0: got %d, want none (it could never be sent)", n)
	}
}
