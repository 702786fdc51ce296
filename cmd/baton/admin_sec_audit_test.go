//go:build audit

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// auditManagerToken creates a manager token through the API and returns its
// secret.
func auditManagerToken(t *testing.T, m *Main) string {
	t.Helper()
	code, created := adminSend(t, m, http.MethodPost, "/admin/tokens", `{"name":"audit-manager","role":"manager"}`)
	var tok struct{ Token string }
	if err := json.Unmarshal([]byte(created), &tok); code != http.StatusCreated || err != nil || tok.Token == "" {
		t.Fatalf("create manager token: got %d %s", code, created)
	}
	return tok.Token
}

// auditAccessEntries returns the access-log entries of user (master read).
func auditAccessEntries(t *testing.T, m *Main, user string) []map[string]any {
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

// TestAuditTicketListIsAnUnloggedTicketRead shows a bug: docs/admin-api.md
// promises that a user's ticket read is written to the access log ("Every
// transcript read (GET /admin/conversations/{key}, a user's ticket) ... is
// written to access_log before anything is read"), and GET /admin/tickets/{id}
// does so, but GET /admin/tickets (internal/admin/routes.go listTickets)
// answers every ticket in full — the user's message, user_key, answer —
// with no access-log row. A manager reads all users' messages unaudited.
func TestAuditTicketListIsAnUnloggedTicketRead(t *testing.T) {
	t.Setenv("BATON_ADMIN_TOKEN", e2eAdminToken)
	clock := &testClock{t: sundayNight}
	m := startBaton(t, exampleConfig, t.TempDir(), clock)
	const user = "u-audit-ticket-list"
	tk := newSession(t, m, clock, user).leaveTicket("환불 받고 싶어요 주소는 서울시 어딘가", "")
	manager := auditManagerToken(t, m)

	code, body := adminGetAs(t, m, manager, "/admin/tickets")
	if code != http.StatusOK || !strings.Contains(string(body), tk.ID) || !strings.Contains(string(body), "환불 받고 싶어요") {
		t.Fatalf("list tickets as manager: got %d %s, want the ticket with its message", code, body)
	}
	if got := auditAccessEntries(t, m, user); len(got) == 0 {
		t.Errorf("access log of %s after a manager listed its ticket's message: got %d entries, want a read_ticket entry", user, len(got))
	}
}

// TestAuditEraseDeletesIntakeReadAudit shows a bug: erasure must leave the
// access log as it is (docs/admin-api.md "Access log": an erased user leaves
// nothing readable there, "while an auditor who holds a key can still ask
// GET /admin/access-log?user=<key>"; store/migrations/00017 says "erasure
// leaves these rows as they are"). But store/erase.go eraseRows deletes from
// every table with a handoff_id column — access_log gained one in 00017 —
// so DELETE /admin/users/{key} wipes the read_intake rows, the only record
// of who decrypted the user's phone number.
func TestAuditEraseDeletesIntakeReadAudit(t *testing.T) {
	t.Setenv("BATON_ADMIN_TOKEN", e2eAdminToken)
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	setNotifyEnv(t, hook, slack)
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string {
		return withGeneralIntake(t, s, `{name: phone, prompt: "연락받을 번호를 알려주세요.", pii: true}`)
	})
	clock := &testClock{t: mondayMorning}
	m := startBaton(t, path, t.TempDir(), clock)
	s := newSession(t, m, clock, "u-audit-erase-intake")
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
	for _, e := range auditAccessEntries(t, m, s.user) {
		actions = append(actions, e["action"].(string))
	}
	if !strings.Contains(strings.Join(actions, ","), store.AccessReadIntake) {
		t.Errorf("access log of the erased user: got actions %v, want the read_intake entry kept", actions)
	}
}

// TestAuditContactNumberInTranscript shows a bug: a ticket's contact number
// is master-only (docs/admin-api.md: GET /admin/tickets/{id}/contact is
// master only, "a manager gets 403"; stored AES-GCM encrypted), but the turn
// that gives it is stored with pii.Mask'ed text only (skill/pipeline.go sets
// Utterance to "" only for handoff intake answers, out.Private), and Mask
// misses "(010) 1234-5678", which fsm/intake.go phoneDigits accepts. So a
// manager reads the number in the clear through GET
// /admin/conversations/{key}, and dealers and pii sinks get it in
// context.turns.
func TestAuditContactNumberInTranscript(t *testing.T) {
	t.Setenv("BATON_ADMIN_TOKEN", e2eAdminToken)
	clock := &testClock{t: sundayNight}
	m := startBaton(t, exampleConfig, t.TempDir(), clock)
	const user = "u-audit-contact-turn"
	tk := newSession(t, m, clock, user).leaveTicket("배송 문의", "(010) 4821-9375")
	if tk.ContactID == "" {
		t.Fatalf("ticket %+v: want a contact", tk)
	}
	manager := auditManagerToken(t, m)
	if code, _ := adminGetAs(t, m, manager, "/admin/tickets/"+tk.ID+"/contact"); code != http.StatusForbidden {
		t.Fatalf("manager contact read: got %d, want 403", code)
	}
	code, body := adminGetAs(t, m, manager, "/admin/conversations/"+user)
	if code != http.StatusOK {
		t.Fatalf("manager conversation read: got %d %s", code, body)
	}
	if strings.Contains(string(body), "4821-9375") {
		t.Errorf("a manager's transcript read shows the contact number a manager may not read: %s", body)
	}
}

// TestAuditOpenSkillBehindDocumentedProxy shows a bug: "Without tokens
// /skill is open, which serve allows only on a loopback --addr"
// (docs/ops.md, README "Registering") is meant to keep a token-less /skill
// off the internet, but the deployment the same docs prescribe is a reverse
// proxy to --addr 127.0.0.1:8080 (docs/ops.md systemd unit and Caddy/nginx
// blocks), and configs/example.yaml defaults both tokens to "". A bot
// master who forgets BATON_SKILL_TOKEN gets a public, unauthenticated
// /skill: cmd/baton/tokens.go openSkillError looks only at the listen
// address, and skill/tokens.go authorized accepts everything. Anyone can
// then post turns as any user key (open handoffs, leave tickets that reach
// agents). Here a request carrying the proxy's X-Forwarded-For is served
// and stored.
func TestAuditOpenSkillBehindDocumentedProxy(t *testing.T) {
	t.Setenv("BATON_SKILL_TOKEN", "")
	t.Setenv("BATON_SKILL_TEST_TOKEN", "")
	m := startBaton(t, exampleConfig, t.TempDir(), nil)
	const user = "u-audit-open-skill"
	code, _ := postSkill(t, m, turn{User: user, Block: "웰컴 블록"}.payload(),
		map[string]string{"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"})
	n, err := m.DB.CountTurns(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	if code != http.StatusUnauthorized || n != 0 {
		t.Errorf("token-less /skill reached through a reverse proxy: got %d and %d stored turns, want 401 and none", code, n)
	}
}

// TestAuditErasedTextStaysInDatabaseFile shows a bug: DELETE
// /admin/users/{key} "erases the user everywhere" (docs/admin-api.md,
// docs/ops.md "Erasing a user"), but SQLite only unlinks deleted rows: with
// no PRAGMA secure_delete (store/db.go opens without it) their bytes — user
// key, masked utterances, ticket messages — stay in the free pages of
// baton.db and in the WAL until reused, readable with strings(1) by anyone
// with the file. The same holds for rows removed by retention.
func TestAuditErasedTextStaysInDatabaseFile(t *testing.T) {
	t.Setenv("BATON_ADMIN_TOKEN", e2eAdminToken)
	dir := t.TempDir()
	m := startBaton(t, exampleConfig, dir, nil)
	const user = "u-audit-forensic-5d1e"
	const said = "QZXV 배송지 변경 부탁드려요 QZXV"
	for _, tr := range []turn{{User: user, Block: "웰컴 블록"}, {User: user, Utterance: said}} {
		if code, _ := postSkill(t, m, tr.payload(), nil); code != http.StatusOK {
			t.Fatalf("turn: got %d", code)
		}
	}
	if code, body := adminCall(t, m, http.MethodDelete, "/admin/users/"+user); code != http.StatusOK || body["erased"] != true {
		t.Fatalf("erase: got %d %v", code, body)
	}
	http.DefaultClient.CloseIdleConnections()
	if err := m.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "baton.db*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("database files: %v %v", files, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, needle := range []string{user, said} {
			if bytes.Contains(b, []byte(needle)) {
				t.Errorf("%s still holds %q after the user was erased", filepath.Base(f), needle)
			}
		}
	}
}
