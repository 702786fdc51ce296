package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/admin"
)

// TestTicketListPollLogsOncePerWindow: a console that polls GET
// /admin/tickets writes one read_ticket row per user ticket and token per
// admin.TicketListReadWindow, not one per poll; a list by another token, a
// list after the window and every ticket action still write theirs.
func TestTicketListPollLogsOncePerWindow(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	clock := &testClock{t: sundayNight}
	m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)
	const user = "u-ticket-list-poll"
	tk := newSession(t, m, clock, user).leaveTicket("환불 문의드립니다", "")
	manager := secfixaManagerToken(t, m)

	list := func(token string) {
		t.Helper()
		if code, body := adminGetAs(t, m, token, "/admin/tickets"); code != http.StatusOK {
			t.Fatalf("list tickets: got %d %s, want 200", code, body)
		}
	}
	reads := func(step string, want int) {
		t.Helper()
		if got := secfixaTicketReads(t, m, user, tk.ID); got != want {
			t.Errorf("read_ticket entries of %s after %s: got %d, want %d", tk.ID, step, got, want)
		}
	}

	list(manager)
	reads("one list", 1)
	for range 3 {
		clock.Advance(5 * time.Second)
		list(manager)
	}
	reads("three more polls within the window", 1)

	list(e2eAdminToken)
	reads("a list by another token", 2)

	if code, raw := adminRaw(t, m, manager, http.MethodPost, "/admin/tickets/"+tk.ID+"/assign", `{"assignee":"kim"}`); code != http.StatusOK {
		t.Fatalf("assign: got %d %s", code, raw)
	}
	reads("an assign", 3)

	clock.Advance(admin.TicketListReadWindow + time.Second)
	list(manager)
	reads("a poll after the window", 4)
}
