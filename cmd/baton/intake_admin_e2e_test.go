package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testlog"
	"github.com/baton-chat/baton/store"
	"github.com/google/go-cmp/cmp"
)

// TestHandoffIntakeReadBack: a user answers a notify queue's order number
// and phone number (pii: true) through /skill; through GET
// /admin/handoffs/{id}/intake a master reads exactly both answers, a
// manager the order number only with the phone withheld; both reads are in
// the access log with the handoff, the handoff detail names the fields,
// no log line holds an answer, and once retention.contacts deleted the
// answers the read says they expired.
func TestHandoffIntakeReadBack(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	env.notify(hook, slack)
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string {
		return withGeneralIntake(t, s,
			`{name: order, prompt: "주문번호를 알려주세요.", pattern: "[A-Z]-[0-9]{4}"}`,
			`{name: phone, prompt: "연락받을 번호를 알려주세요.", pii: true}`)
	})
	clock := &testClock{t: mondayMorning}
	var logs testlog.Buffer
	m := startBatonLogging(t, path, t.TempDir(), clock,
		slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})), env.configure)
	s := newSession(t, m, clock, "u-intake-admin")
	s.welcome()
	s.say("상담원")
	s.tap("네, 연결해 주세요")
	s.wantText("주문번호를 알려주세요.")
	s.say("B-2002")
	s.wantText("연락받을 번호를 알려주세요.")
	s.say("010-4821-9375")
	s.wantState(fsm.StateWaiting)
	id, _, _, _ := s.handoff()

	type answer struct {
		Name  string `json:"name"`
		Value string `json:"value"`
		PII   bool   `json:"pii"`
	}
	type intake struct {
		HandoffID string   `json:"handoff_id"`
		Intake    []answer `json:"intake"`
		Withheld  []string `json:"withheld"`
	}
	read := func(token string) (intake, string) {
		t.Helper()
		code, raw := adminGetAs(t, m, token, "/admin/handoffs/"+id+"/intake")
		var got intake
		if err := json.Unmarshal(raw, &got); code != http.StatusOK || err != nil {
			t.Fatalf("read intake: got %d %s (%v), want 200", code, raw, err)
		}
		return got, string(raw)
	}
	got, _ := read(e2eAdminToken)
	want := intake{HandoffID: id, Intake: []answer{{"order", "B-2002", false}, {"phone", "010-4821-9375", true}}, Withheld: []string{}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("master's read (-want +got):\n%s", diff)
	}

	code, created := adminSend(t, m, http.MethodPost, "/admin/tokens", `{"name":"상담팀","role":"manager"}`)
	var tok struct{ Token, ID string }
	if err := json.Unmarshal([]byte(created), &tok); code != http.StatusCreated || err != nil || tok.Token == "" {
		t.Fatalf("create manager token: got %d %s", code, created)
	}
	got, raw := read(tok.Token)
	want = intake{HandoffID: id, Intake: []answer{{"order", "B-2002", false}}, Withheld: []string{"phone"}}
	if diff := cmp.Diff(want, got); diff != "" || strings.Contains(raw, "9375") {
		t.Errorf("manager's read (-want +got):\n%s\n%s", diff, raw)
	}

	// The handoff detail names the fields, without values.
	code, detail := adminGetAs(t, m, tok.Token, "/admin/handoffs/"+id)
	var d struct {
		IntakeFields []string `json:"intake_fields"`
	}
	if err := json.Unmarshal(detail, &d); code != http.StatusOK || err != nil ||
		strings.Join(d.IntakeFields, ",") != "order,phone" || strings.Contains(string(detail), "B-2002") {
		t.Errorf("handoff detail: got %d %s, want intake_fields [order phone] and no values", code, detail)
	}

	// The access log has both reads: who, which handoff, whose (as a subject).
	code, body := adminCall(t, m, http.MethodGet, "/admin/access-log?user="+s.user)
	entries, _ := body["entries"].([]any)
	if code != http.StatusOK || len(entries) != 2 {
		t.Fatalf("access log: got %d %v, want two entries", code, body)
	}
	for i, w := range []struct{ token, role string }{{tok.ID, store.RoleManager}, {"bootstrap", store.RoleMaster}} { // newest first
		e, _ := entries[i].(map[string]any)
		if e["action"] != store.AccessReadIntake || e["handoff_id"] != id || e["token_id"] != w.token || e["role"] != w.role {
			t.Errorf("access log entry %d: got %v, want read_intake of %s by %s", i, e, id, w.token)
		}
	}

	// Past retention.contacts (30d in the example) the answers are deleted
	// and the read says so.
	clock.Advance(31 * 24 * time.Hour)
	if n, err := m.DB.Prune(context.Background(), clock.Now(), store.Retention{Contacts: 30 * 24 * time.Hour}); err != nil || n["handoff_intake"] != 2 {
		t.Fatalf("prune: got %v (%v), want 2 handoff_intake rows", n, err)
	}
	code, raw2 := adminGetAs(t, m, e2eAdminToken, "/admin/handoffs/"+id+"/intake")
	var expired struct {
		Intake  []answer `json:"intake"`
		Expired bool     `json:"expired"`
	}
	if err := json.Unmarshal(raw2, &expired); code != http.StatusOK || err != nil || len(expired.Intake) != 0 || !expired.Expired {
		t.Errorf("read after retention: got %d %s, want 200, no answers and expired", code, raw2)
	}

	out := logs.String()
	if !strings.Contains(out, "admin: handoff intake read") {
		t.Errorf("no log line for the intake read")
	}
	for _, v := range []string{"B-2002", "010-4821-9375", "4821-9375", "48219375"} {
		if strings.Contains(out, v) {
			t.Errorf("logs contain %q", v)
		}
	}
}
