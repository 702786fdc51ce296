package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// TestCSATRequestOnlyWhenTheEventAPICanSendIt: a dealer session ended by
// session.ended leaves a csat notification for the Event API only when the
// Event API is on; with it off (the example's default) none is recorded,
// since it could never be sent.
func TestCSATRequestOnlyWhenTheEventAPICanSendIt(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		key  string
		want int
	}{
		{"event api off", "", 0},
		{"event api on", "e2e-key", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			kakao := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(http.StatusServiceUnavailable)
			}))
			t.Cleanup(kakao.Close)
			dealer := newSinkRecorder(t)
			env := testEnv{
				"BATON_EVENT_API_URL": kakao.URL,
				"BATON_EVENT_API_KEY": tc.key,
				"BATON_DEALER_URL":    dealer.srv.URL + "/baton",
				"BATON_DEALER_SECRET": e2eDealerSecret,
			}
			clock := &testClock{t: mondayMorning}
			m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)
			s := newSession(t, m, clock, "u-csat-off")
			s.welcome()
			toDealerWaiting(s)
			id, _, _, _ := s.handoff()
			for _, ev := range []map[string]any{
				{"version": 1, "id": "ev-csat-start", "type": "session.started", "handoff_id": id,
					"at": time.Now().UTC().Format(time.RFC3339), "agent": map[string]any{"id": "a1", "name": "김상담"}},
				{"version": 1, "id": "ev-csat-end", "type": "session.ended", "handoff_id": id,
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
			if n != tc.want {
				t.Errorf("csat notifications after session.ended: got %d, want %d", n, tc.want)
			}
		})
	}
}
