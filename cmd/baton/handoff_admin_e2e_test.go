package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// handoffState is the "state" of the handoff in an admin answer.
func handoffState(body map[string]any) string {
	h, _ := body["handoff"].(map[string]any)
	s, _ := h["state"].(string)
	return s
}

// listIDs returns the ids of the list under key ("handoffs", "tickets") in
// an admin answer, and fails unless every listed item has code.
func listIDs(t *testing.T, body map[string]any, key, code string) []string {
	t.Helper()
	var ids []string
	items, _ := body[key].([]any)
	for _, it := range items {
		o, _ := it.(map[string]any)
		if o["code"] != code {
			t.Errorf("%s: got an item with code %v, want only %q", key, o["code"], code)
		}
		id, _ := o["id"].(string)
		ids = append(ids, id)
	}
	return ids
}

func has(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// TestAdminHandoffActions: a user escalates on the one_on_one queue; a
// manager finds the handoff by its code (typed lower case), accepts it
// through the admin API (the conversation is human, reason "admin"), ends
// it (back to bot, end_reason "admin"); repeating either is 409 with the
// handoff's state, an unknown id is 404, no token is 401. A second handoff
// gets fresh links from POST /admin/handoffs/{id}/links that work when
// followed. A ticket is found by its code too.
func TestAdminHandoffActions(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	clock := &testClock{t: sundayNight}
	m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)

	// Two tickets, left out of hours.
	var tickets []store.Ticket
	for _, user := range []string{"u-admin-code-ticket", "u-admin-code-ticket-2"} {
		tickets = append(tickets, newSession(t, m, clock, user).leaveTicket("배송이 안 와요", ""))
	}
	tk := tickets[0]
	if tk.Code == "" || tk.Code != strings.ToUpper(tk.Code) {
		t.Fatalf("ticket code %q, want an upper-case code", tk.Code)
	}

	clock.Advance(mondayMorning.Sub(clock.Now()))
	s := newSession(t, m, clock, "u-admin-accept")
	s.welcome()
	toWaiting(s)
	codeOf := func(id string) string {
		t.Helper()
		var code string
		if err := m.DB.ReadDB().QueryRow(`SELECT code FROM handoffs WHERE id = ?`, id).Scan(&code); err != nil {
			t.Fatal(err)
		}
		return code
	}
	id, _, _, _ := s.handoff()
	code := codeOf(id)
	other := newSession(t, m, clock, "u-admin-other")
	other.welcome()
	toWaiting(other)
	otherID, _, _, _ := other.handoff()
	otherCode := codeOf(otherID)

	st, body := adminAs(t, m, e2eAdminToken, http.MethodPost, "/admin/tokens", `{"name":"상담팀","role":"manager"}`)
	manager, _ := body["token"].(string)
	if st != http.StatusCreated || manager == "" {
		t.Fatalf("create manager token: got %d %v", st, body)
	}

	t.Run("code lookup", func(t *testing.T) {
		for _, q := range []string{"?code=" + strings.ToLower(code), "?code=" + code + "&queue=general", "?state=all&code=" + code} {
			st, body := adminAs(t, m, manager, http.MethodGet, "/admin/handoffs"+q, "")
			ids := listIDs(t, body, "handoffs", code)
			if st != http.StatusOK || !has(ids, id) {
				t.Errorf("handoffs%s: got %d %v, want %s among them", q, st, ids, id)
			}
			if otherCode != code && has(ids, otherID) { // codes are random, and may repeat
				t.Errorf("handoffs%s: got the other user's handoff %s (another code)", q, otherID)
			}
		}
		if _, body := adminAs(t, m, manager, http.MethodGet, "/admin/handoffs?code="+code+"&queue=vip", ""); len(listIDs(t, body, "handoffs", code)) != 0 {
			t.Errorf("handoffs?code&queue=vip: got %v, want none", body)
		}
		for _, q := range []string{"?code=" + strings.ToLower(tk.Code), "?code=" + tk.Code + "&status=open"} {
			st, body := adminAs(t, m, manager, http.MethodGet, "/admin/tickets"+q, "")
			ids := listIDs(t, body, "tickets", tk.Code)
			if st != http.StatusOK || !has(ids, tk.ID) {
				t.Errorf("tickets%s: got %d %v, want %s among them", q, st, ids, tk.ID)
			}
			if tickets[1].Code != tk.Code && has(ids, tickets[1].ID) {
				t.Errorf("tickets%s: got the other ticket %s (another code)", q, tickets[1].ID)
			}
		}
		if _, body := adminAs(t, m, manager, http.MethodGet, "/admin/tickets?code="+tk.Code+"&status=closed", ""); len(listIDs(t, body, "tickets", tk.Code)) != 0 {
			t.Errorf("tickets?code&status=closed: got %v, want none", body)
		}
	})

	if st, _ := adminAs(t, m, "", http.MethodPost, "/admin/handoffs/"+id+"/accept", ""); st != http.StatusUnauthorized {
		t.Fatalf("accept without a token: got %d, want 401", st)
	}
	s.wantState(fsm.StateWaiting)
	if st, body := adminAs(t, m, manager, http.MethodPost, "/admin/handoffs/01NOPE/accept", ""); st != http.StatusNotFound {
		t.Errorf("accept an unknown handoff: got %d %v, want 404", st, body)
	}

	st, body = adminAs(t, m, manager, http.MethodPost, "/admin/handoffs/"+id+"/accept", "")
	if st != http.StatusOK || handoffState(body) != "human" {
		t.Fatalf("accept as a manager: got %d %v, want 200 and state human", st, body)
	}
	s.wantState(fsm.StateHuman)
	if _, metrics := getAdmin(t, m, "/metrics"); !strings.Contains(metrics, `baton_transitions_total{from="waiting",reason="admin",to="human"} 1`) {
		t.Errorf("metrics lack the admin accept transition")
	}
	st, body = adminAs(t, m, manager, http.MethodPost, "/admin/handoffs/"+id+"/accept", "")
	if st != http.StatusConflict || handoffState(body) != "human" || body["error"] == nil {
		t.Errorf("accept again: got %d %v, want 409 with state human", st, body)
	}
	s.wantState(fsm.StateHuman)

	st, body = adminAs(t, m, e2eAdminToken, http.MethodPost, "/admin/handoffs/"+id+"/end", "")
	if st != http.StatusOK || handoffState(body) != "ended" {
		t.Fatalf("end: got %d %v, want 200 and state ended", st, body)
	}
	s.wantState(fsm.StateBot)
	if _, _, reason, ended := s.handoff(); !ended || reason != "admin" {
		t.Errorf("handoff ended %v reason %q, want ended by admin", ended, reason)
	}
	st, body = adminAs(t, m, manager, http.MethodPost, "/admin/handoffs/"+id+"/end", "")
	if st != http.StatusConflict || handoffState(body) != "ended" {
		t.Errorf("end again: got %d %v, want 409 with state ended", st, body)
	}
	if st, body := adminAs(t, m, manager, http.MethodPost, "/admin/handoffs/"+id+"/links", ""); st != http.StatusConflict {
		t.Errorf("links of an ended handoff: got %d %v, want 409", st, body)
	}
	other.wantState(fsm.StateWaiting) // nobody touched the other user

	t.Run("re-issued links", func(t *testing.T) {
		if st, _ := adminAs(t, m, manager, http.MethodPost, "/admin/handoffs/01NOPE/links", ""); st != http.StatusNotFound {
			t.Errorf("links of an unknown handoff: got %d, want 404", st)
		}
		st, body := adminAs(t, m, manager, http.MethodPost, "/admin/handoffs/"+otherID+"/links", "")
		accept, _ := body["accept"].(string)
		end, _ := body["end"].(string)
		exp, err := time.Parse(time.RFC3339, body["expires_at"].(string))
		if st != http.StatusOK || accept == "" || end == "" || err != nil {
			t.Fatalf("links: got %d %v (expires_at %v)", st, body, err)
		}
		if d := time.Until(exp); d < 6*24*time.Hour || d > 7*24*time.Hour+time.Minute {
			t.Errorf("expires_at %v: %v from now, want about 7 days", exp, d)
		}
		if code, page := followLink(t, accept); code != http.StatusOK || !strings.Contains(page, "상담을 시작했습니다") {
			t.Fatalf("re-issued accept link: got %d %q", code, page)
		}
		other.wantState(fsm.StateHuman)
		if code, page := followLink(t, end); code != http.StatusOK || !strings.Contains(page, "상담을 종료했습니다") {
			t.Fatalf("re-issued end link: got %d %q", code, page)
		}
		other.wantState(fsm.StateBot)
		if _, _, reason, ended := other.handoff(); !ended || reason != "agent_link" {
			t.Errorf("other handoff ended %v reason %q, want ended by agent_link", ended, reason)
		}
	})
}
