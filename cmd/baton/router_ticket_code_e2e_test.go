package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/testutil"
)

// TestRouterTicketKeepsHandoffCode: a ticket the router opens itself (here
// a dealer's final 4xx: dealer_failed) carries the handoff's code, the
// number the user was shown, so GET /admin/tickets?code= finds it.
func TestRouterTicketKeepsHandoffCode(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	dealer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
	}))
	t.Cleanup(dealer.Close)
	env["BATON_DEALER_URL"] = dealer.URL + "/baton"
	env["BATON_DEALER_SECRET"] = e2eDealerSecret
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	env.notify(hook, slack)
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)
	s := newSession(t, m, clock, "u-dealer-4xx")
	s.welcome()
	toDealerWaiting(s)
	id, _, _, _ := s.handoff()
	var handoffCode string
	if err := m.DB.ReadDB().QueryRow(`SELECT code FROM handoffs WHERE id = ?`, id).Scan(&handoffCode); err != nil {
		t.Fatal(err)
	}
	var ticketCode string
	testutil.CheckFor(t, 10*time.Second, 50*time.Millisecond, func() error {
		return m.DB.ReadDB().QueryRowContext(context.Background(),
			`SELECT code FROM tickets WHERE handoff_id = ?`, id).Scan(&ticketCode)
	})
	if ticketCode != handoffCode {
		t.Errorf("dealer_failed ticket code: got %q, want the handoff's %q (the code the user was shown)", ticketCode, handoffCode)
	}
	code, body := adminCall(t, m, http.MethodGet, "/admin/tickets?code="+handoffCode)
	if tickets, _ := body["tickets"].([]any); code != http.StatusOK || len(tickets) != 1 {
		t.Errorf("GET /admin/tickets?code=%s: got %d %v, want the dealer_failed ticket", handoffCode, code, body)
	}
}
