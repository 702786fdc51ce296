package main

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/baton-chat/baton/internal/testlog"
	"github.com/baton-chat/baton/store"
)

// TestTicketContactReadBack: a user leaves a message after hours with a
// phone number through /skill; a master reads exactly that number back
// through GET /admin/tickets/{id}/contact, the read is in the access log
// with the ticket, a manager gets 403, an unknown ticket 404, and no log
// line holds the number.
func TestTicketContactReadBack(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	env.notify(hook, slack)
	clock := &testClock{t: sundayNight}
	var logs testlog.Buffer
	m := startBatonLogging(t, exampleConfig, t.TempDir(), clock, slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})), env.configure)

	s := newSession(t, m, clock, "u-contact-read")
	tk := s.leaveTicket("환불 건으로 전화 주세요", "010-7319-4286")
	if tk.ContactID == "" {
		t.Fatalf("ticket %+v has no contact", tk)
	}

	code, raw := adminGetAs(t, m, e2eAdminToken, "/admin/tickets/"+tk.ID+"/contact")
	if code != http.StatusOK {
		t.Fatalf("read contact: got %d %s, want 200", code, raw)
	}
	var got map[string]string
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("read contact: %v in %s", err, raw)
	}
	want := map[string]string{"ticket_id": tk.ID, "contact_id": tk.ContactID, "contact": "01073194286"}
	if len(got) != len(want) || got["ticket_id"] != want["ticket_id"] || got["contact_id"] != want["contact_id"] || got["contact"] != want["contact"] {
		t.Errorf("read contact: got %v, want %v", got, want)
	}

	// The access log has the read: who, which ticket, whose (as a subject).
	code, body := adminCall(t, m, http.MethodGet, "/admin/access-log?user="+s.user)
	entries, _ := body["entries"].([]any)
	if code != http.StatusOK || len(entries) != 1 {
		t.Fatalf("access log: got %d %v, want one entry", code, body)
	}
	e, _ := entries[0].(map[string]any)
	if e["action"] != store.AccessReadContact || e["ticket_id"] != tk.ID || e["token_id"] != "bootstrap" || e["role"] != store.RoleMaster {
		t.Errorf("access log entry: got %v, want read_contact of %s by bootstrap", e, tk.ID)
	}

	// A manager works tickets but does not read numbers.
	code, created := adminSend(t, m, http.MethodPost, "/admin/tokens", `{"name":"상담팀","role":"manager"}`)
	var tok struct{ Token string }
	if err := json.Unmarshal([]byte(created), &tok); code != http.StatusCreated || err != nil || tok.Token == "" {
		t.Fatalf("create manager token: got %d %s", code, created)
	}
	if code, raw := adminGetAs(t, m, tok.Token, "/admin/tickets/"+tk.ID+"/contact"); code != http.StatusForbidden || strings.Contains(string(raw), "73194286") {
		t.Errorf("manager: got %d %s, want 403 without the number", code, raw)
	}
	if code, raw := adminGetAs(t, m, tok.Token, "/admin/tickets/"+tk.ID); code != http.StatusOK {
		t.Errorf("manager reads the ticket itself: got %d %s, want 200", code, raw)
	}
	if code, raw := adminGetAs(t, m, e2eAdminToken, "/admin/tickets/01NOSUCHTICKET0000000000/contact"); code != http.StatusNotFound {
		t.Errorf("unknown ticket: got %d %s, want 404", code, raw)
	}

	out := logs.String()
	if !strings.Contains(out, "admin: ticket contact read") {
		t.Errorf("no log line for the contact read")
	}
	// Whole forms and the last eight digits; shorter fragments turn up by
	// chance in the nanoseconds of log timestamps (this test once failed on
	// "9876", most likely so).
	for _, number := range []string{"01073194286", "010-7319-4286", "7319-4286", "73194286"} {
		if strings.Contains(out, number) {
			t.Errorf("logs contain %q", number)
		}
	}
}
