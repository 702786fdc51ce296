package main

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// secfixaManagerToken creates a manager token through the API and returns
// its secret.
func secfixaManagerToken(t *testing.T, m *Main) string {
	t.Helper()
	code, created := adminSend(t, m, http.MethodPost, "/admin/tokens", `{"name":"secfix-manager","role":"manager"}`)
	var tok struct{ Token string }
	if err := json.Unmarshal([]byte(created), &tok); code != http.StatusCreated || err != nil || tok.Token == "" {
		t.Fatalf("create manager token: got %d %s", code, created)
	}
	return tok.Token
}

// secfixaAccessEntries returns the access-log entries of user (master read).
func secfixaAccessEntries(t *testing.T, m *Main, user string) []map[string]any {
	t.Helper()
	code, body := adminCall(t, m, http.MethodGet, "/admin/access-log?user="+user)
	if code != http.StatusOK {
		t.Fatalf("access log: got %d %v, want 200", code, body)
	}
	raw, _ := body["entries"].([]any)
	out := make([]map[string]any, 0, len(raw))
	for _, e := range raw {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// secfixaTicketReads counts user's read_ticket entries of ticket id.
func secfixaTicketReads(t *testing.T, m *Main, user, id string) int {
	t.Helper()
	n := 0
	for _, e := range secfixaAccessEntries(t, m, user) {
		if e["action"] == store.AccessReadTicket && e["ticket_id"] == id {
			n++
		}
	}
	return n
}

// TestTicketListIsALoggedTicketRead: GET /admin/tickets answers users'
// messages and keys, so it writes a read_ticket row per user ticket it
// shows, as GET /admin/tickets/{id} does; so does a ticket action, whose
// answer is the ticket.
func TestTicketListIsALoggedTicketRead(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	clock := &testClock{t: sundayNight}
	m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)
	const user = "u-secfix-ticket-list"
	tk := newSession(t, m, clock, user).leaveTicket("환불 받고 싶어요 주소는 서울시 어딘가", "")
	manager := secfixaManagerToken(t, m)

	code, body := adminGetAs(t, m, manager, "/admin/tickets")
	if code != http.StatusOK || !strings.Contains(string(body), tk.ID) || !strings.Contains(string(body), "환불 받고 싶어요") {
		t.Fatalf("list tickets as manager: got %d %s, want the ticket with its message", code, body)
	}
	if got := secfixaAccessEntries(t, m, user); len(got) == 0 {
		t.Errorf("access log of %s after a manager listed its ticket's message: got %d entries, want a read_ticket entry", user, len(got))
	}
	if got, want := secfixaTicketReads(t, m, user, tk.ID), 1; got != want {
		t.Errorf("read_ticket entries of %s after one list: got %d, want %d", tk.ID, got, want)
	}

	code, raw := adminRaw(t, m, manager, http.MethodPost, "/admin/tickets/"+tk.ID+"/assign", `{"assignee":"kim"}`)
	if code != http.StatusOK || !strings.Contains(string(raw), "환불 받고 싶어요") {
		t.Fatalf("assign as manager: got %d %s, want the ticket with its message", code, raw)
	}
	if got, want := secfixaTicketReads(t, m, user, tk.ID), 2; got != want {
		t.Errorf("read_ticket entries of %s after a list and an assign: got %d, want %d", tk.ID, got, want)
	}
}

// TestEraseKeepsIntakeReadAudit: erasure leaves the access log as it is
// (docs/admin-api.md "Access log"), so the read_intake row that records who
// decrypted the user's phone number survives DELETE /admin/users/{key}.
func TestEraseKeepsIntakeReadAudit(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	env.notify(hook, slack)
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string {
		return withGeneralIntake(t, s, `{name: phone, prompt: "연락받을 번호를 알려주세요.", pii: true}`)
	})
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, path, t.TempDir(), clock, env)
	s := newSession(t, m, clock, "u-secfix-erase-intake")
	s.welcome()
	s.say("상담원")
	s.tap("네, 연결해 주세요")
	s.wantText("연락받을 번호를 알려주세요.")
	s.say("010-4821-9375")
	s.wantState(fsm.StateWaiting)
	id, _, _, _ := s.handoff()

	if code, raw := adminGetAs(t, m, e2eAdminToken, "/admin/handoffs/"+id+"/intake"); code != http.StatusOK {
		t.Fatalf("read intake: got %d %s", code, raw)
	}
	if code, body := adminCall(t, m, http.MethodDelete, "/admin/users/"+s.user); code != http.StatusOK {
		t.Fatalf("erase: got %d %v", code, body)
	}
	var actions []string
	for _, e := range secfixaAccessEntries(t, m, s.user) {
		actions = append(actions, e["action"].(string))
		if e["action"] == store.AccessReadIntake && e["handoff_id"] != id {
			t.Errorf("read_intake entry after erasure: got handoff %v, want %s", e["handoff_id"], id)
		}
	}
	if !strings.Contains(strings.Join(actions, ","), store.AccessReadIntake) {
		t.Errorf("access log of the erased user: got actions %v, want the read_intake entry kept", actions)
	}
}

// TestContactNumberNotInTranscript: the number a user leaves for a ticket
// is master-only (GET /admin/tickets/{id}/contact), so the turn that gives
// it keeps no text, and a manager's transcript read does not show it.
func TestContactNumberNotInTranscript(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	clock := &testClock{t: sundayNight}
	m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)
	const user = "u-secfix-contact-turn"
	tk := newSession(t, m, clock, user).leaveTicket("배송 문의", "(010) 4821-9375")
	if tk.ContactID == "" {
		t.Fatalf("ticket %+v: want a contact", tk)
	}
	manager := secfixaManagerToken(t, m)
	if code, _ := adminGetAs(t, m, manager, "/admin/tickets/"+tk.ID+"/contact"); code != http.StatusForbidden {
		t.Fatalf("manager contact read: got %d, want 403", code)
	}
	code, body := adminGetAs(t, m, manager, "/admin/conversations/"+user)
	if code != http.StatusOK {
		t.Fatalf("manager conversation read: got %d %s", code, body)
	}
	if strings.Contains(string(body), "4821-9375") || strings.Contains(string(body), "4821") {
		t.Errorf("a manager's transcript read shows the contact number a manager may not read: %s", body)
	}
	if !strings.Contains(string(body), `"kind":"ticket"`) {
		t.Errorf("transcript: got %s, want the contact turn (kind ticket) kept without its text", body)
	}
}
