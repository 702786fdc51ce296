package admin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/admin"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
	"github.com/labstack/echo/v5"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

const bootToken = "boot-master-secret-7d41"

// fixture is a real store, the admin API on a loopback Echo server and,
// when asked for, a real embedded JetStream.
type fixture struct {
	db  *store.DB
	srv *admin.Server
	url string
	js  jetstream.JetStream
}

func newFixture(t *testing.T, withNATS bool, opts admin.Options) *fixture {
	t.Helper()
	return newFixtureWith(t, testutil.Store(t), withNATS, opts)
}

// newFixtureOn is newFixture on db, without NATS.
func newFixtureOn(t *testing.T, db *store.DB, opts admin.Options) *fixture {
	t.Helper()
	return newFixtureWith(t, db, false, opts)
}

func newFixtureWith(t *testing.T, db *store.DB, withNATS bool, opts admin.Options) *fixture {
	t.Helper()
	return newFixtureEcho(t, db, withNATS, opts, echo.New())
}

// newFixtureEcho is newFixtureWith with the admin API registered on e.
func newFixtureEcho(t *testing.T, db *store.DB, withNATS bool, opts admin.Options, e *echo.Echo) *fixture {
	t.Helper()
	f := &fixture{db: db}
	if withNATS {
		emb, err := handoff.StartEmbedded(filepath.Join(t.TempDir(), "nats"), nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(emb.Shutdown)
		nc, err := emb.Connect("test")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(nc.Close)
		if f.js, err = jetstream.New(nc); err != nil {
			t.Fatal(err)
		}
		if _, err := handoff.EnsureStream(context.Background(), f.js, 1); err != nil {
			t.Fatal(err)
		}
		opts.Purger = handoff.NewPurger(f.js)
	}
	opts.BootstrapToken = bootToken
	opts.SubjectKey = []byte("subject-key-for-tests")
	f.srv = admin.New(f.db, slog.New(slog.DiscardHandler), opts)
	f.srv.Register(e)
	hs := httptest.NewServer(e)
	t.Cleanup(hs.Close)
	f.url = hs.URL
	return f
}

// call sends method path with token (none when empty) and body (JSON when
// non-nil) and decodes the JSON answer into a map.
func (f *fixture) call(t *testing.T, method, path, token string, body any) (int, map[string]any) {
	t.Helper()
	code, _, raw := f.send(t, method, path, token, body)
	out := map[string]any{}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s %s: answer is not a JSON object: %q", method, path, raw)
		}
	}
	return code, out
}

// send sends method path with token (none when empty) and body (JSON when
// non-nil) and returns the answer's status, header and body.
func (f *fixture) send(t *testing.T, method, path, token string, body any) (int, http.Header, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, f.url+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, raw
}

// newToken creates a token with role through the API and returns its
// secret and id.
func (f *fixture) newToken(t *testing.T, name, role string) (secret, id string) {
	t.Helper()
	code, body := f.call(t, http.MethodPost, "/admin/tokens", bootToken, map[string]string{"name": name, "role": role})
	if code != http.StatusCreated {
		t.Fatalf("create %s token: got %d %v, want 201", role, code, body)
	}
	secret, _ = body["token"].(string)
	id, _ = body["id"].(string)
	if secret == "" || id == "" {
		t.Fatalf("create token: no token or id in %v", body)
	}
	return secret, id
}

func TestAuthAndRoles(t *testing.T) {
	f := newFixture(t, false, admin.Options{})
	manager, managerID := f.newToken(t, "상담팀", store.RoleManager)
	master, _ := f.newToken(t, "ops", store.RoleMaster)
	revoked, revokedID := f.newToken(t, "old", store.RoleManager)
	if code, body := f.call(t, http.MethodDelete, "/admin/tokens/"+revokedID, bootToken, nil); code != http.StatusOK {
		t.Fatalf("revoke: got %d %v, want 200", code, body)
	}

	tests := []struct {
		name, method, path, token string
		body                      any
		want                      int
	}{
		{"no token", http.MethodGet, "/admin/handoffs", "", nil, http.StatusUnauthorized},
		{"wrong token", http.MethodGet, "/admin/handoffs", "not-a-token", nil, http.StatusUnauthorized},
		{"bootstrap prefix", http.MethodGet, "/admin/handoffs", bootToken[:len(bootToken)-1], nil, http.StatusUnauthorized},
		{"revoked token", http.MethodGet, "/admin/handoffs", revoked, nil, http.StatusUnauthorized},
		{"no token on erase", http.MethodDelete, "/admin/users/u1", "", nil, http.StatusUnauthorized},
		{"bootstrap reads", http.MethodGet, "/admin/handoffs", bootToken, nil, http.StatusOK},
		{"manager reads handoffs", http.MethodGet, "/admin/handoffs?state=all", manager, nil, http.StatusOK},
		{"manager reads reloads", http.MethodGet, "/admin/reloads", manager, nil, http.StatusOK},
		{"manager lists tokens", http.MethodGet, "/admin/tokens", manager, nil, http.StatusForbidden},
		{"manager creates token", http.MethodPost, "/admin/tokens", manager, map[string]string{"name": "x", "role": "master"}, http.StatusForbidden},
		{"manager revokes token", http.MethodDelete, "/admin/tokens/" + managerID, manager, nil, http.StatusForbidden},
		{"manager erases user", http.MethodDelete, "/admin/users/u1", manager, nil, http.StatusForbidden},
		{"manager reads access log", http.MethodGet, "/admin/access-log", manager, nil, http.StatusForbidden},
		{"manager reloads", http.MethodPost, "/admin/reload", manager, nil, http.StatusForbidden},
		{"stored master lists tokens", http.MethodGet, "/admin/tokens", master, nil, http.StatusOK},
		{"stored master erases unknown user", http.MethodDelete, "/admin/users/nobody", master, nil, http.StatusOK},
		{"bad role", http.MethodPost, "/admin/tokens", master, map[string]string{"name": "x", "role": "root"}, http.StatusBadRequest},
		{"bad state", http.MethodGet, "/admin/handoffs?state=closed", manager, nil, http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := f.call(t, tt.method, tt.path, tt.token, tt.body)
			if code != tt.want {
				t.Fatalf("got %d %v, want %d", code, body, tt.want)
			}
			if code >= 400 {
				if msg, _ := body["error"].(string); msg == "" {
					t.Errorf("error answer: got %v, want {\"error\": ...}", body)
				}
			}
		})
	}

	code, body := f.call(t, http.MethodGet, "/admin/whoami", manager, nil)
	if code != http.StatusOK || body["id"] != managerID || body["role"] != store.RoleManager {
		t.Errorf("whoami as manager: got %d %v, want id %s role manager", code, body, managerID)
	}
	// Only the SHA-256 of a token is stored, never the secret.
	for _, secret := range []string{manager, master, bootToken} {
		if hits := testutil.FindInTables(t, f.db.ReadDB(), secret); len(hits) > 0 {
			t.Errorf("token secret stored in %v", hits)
		}
	}
	if hits := testutil.FindInTables(t, f.db.ReadDB(), admin.HashToken(manager)); len(hits) != 1 {
		t.Errorf("token hash: got %v, want it in admin_tokens.hash only", hits)
	}
	toks, err := f.db.AdminTokens(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range toks {
		if tk.ID == managerID && tk.LastUsedAt.IsZero() {
			t.Errorf("manager token last_used_at: got zero, want set after use")
		}
	}
}

func TestConversationReadIsLogged(t *testing.T) {
	f := newFixture(t, false, admin.Options{})
	at := time.Now().Add(-time.Hour).UTC()
	u := testutil.SeedUser(t, f.db, "reader-target-51c2", at)
	manager, managerID := f.newToken(t, "상담팀", store.RoleManager)

	code, body := f.call(t, http.MethodGet, "/admin/conversations/"+url.PathEscape(u.Key), manager, nil)
	if code != http.StatusOK {
		t.Fatalf("read conversation: got %d %v, want 200", code, body)
	}
	turns, _ := body["turns"].([]any)
	if len(turns) != 1 {
		t.Fatalf("turns: got %d, want 1 (%v)", len(turns), body)
	}
	if tr := turns[0].(map[string]any); tr["utterance"] != "상담원 연결해 주세요" {
		t.Errorf("turn utterance: got %v, want the stored (masked) text", tr["utterance"])
	}
	conv, _ := body["conversation"].(map[string]any)
	if conv["state"] != "waiting" || conv["handoff_id"] != u.HandoffID {
		t.Errorf("conversation: got %v, want waiting on handoff %s", conv, u.HandoffID)
	}
	if h, _ := body["open_handoff"].(map[string]any); h["id"] != u.HandoffID {
		t.Errorf("open handoff: got %v, want %s", h, u.HandoffID)
	}

	code, body = f.call(t, http.MethodGet, "/admin/access-log", bootToken, nil)
	if code != http.StatusOK {
		t.Fatalf("access log: got %d %v", code, body)
	}
	entries, _ := body["entries"].([]any)
	if len(entries) != 1 {
		t.Fatalf("access log entries: got %v, want 1", entries)
	}
	e := entries[0].(map[string]any)
	if e["token_id"] != managerID || e["role"] != store.RoleManager || e["action"] != store.AccessReadConversation {
		t.Errorf("access log entry: got %v, want manager %s reading a conversation", e, managerID)
	}
	if e["subject"] != f.srv.Subject(u.Key) {
		t.Errorf("subject: got %v, want the HMAC of the key %s", e["subject"], f.srv.Subject(u.Key))
	}
	if strings.Contains(e["subject"].(string), u.Key) {
		t.Errorf("subject holds the raw user key")
	}
	// An auditor with the key finds the read; another key finds nothing.
	if _, body := f.call(t, http.MethodGet, "/admin/access-log?user="+url.QueryEscape(u.Key), bootToken, nil); len(body["entries"].([]any)) != 1 {
		t.Errorf("access log by user: got %v, want 1 entry", body)
	}
	if _, body := f.call(t, http.MethodGet, "/admin/access-log?user=someone-else", bootToken, nil); len(body["entries"].([]any)) != 0 {
		t.Errorf("access log by another user: got %v, want none", body)
	}
	// A read of an unknown user is logged too, and answers 404.
	if code, _ := f.call(t, http.MethodGet, "/admin/conversations/nobody", manager, nil); code != http.StatusNotFound {
		t.Errorf("unknown user: got %d, want 404", code)
	}
	if _, body := f.call(t, http.MethodGet, "/admin/access-log", bootToken, nil); len(body["entries"].([]any)) != 2 {
		t.Errorf("access log after a second read: got %v, want 2 entries", body)
	}
}

func TestHandoffRoutes(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, false, admin.Options{})
	at := time.Now().Add(-time.Hour).UTC()
	a := testutil.SeedUser(t, f.db, "handoff-a", at)
	b := testutil.SeedUser(t, f.db, "handoff-b", at.Add(time.Second))
	c := testutil.SeedUser(t, f.db, "handoff-c", at.Add(2*time.Second))
	if _, err := f.db.CloseHandoff(ctx, a.HandoffID, "ended", at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if ok, err := f.db.MarkHandoffAccepted(ctx, c.HandoffID, at.Add(time.Minute)); err != nil || !ok {
		t.Fatalf("accept %s: %v, %v", c.HandoffID, ok, err)
	}
	ids := func(body map[string]any) []string {
		var out []string
		for _, h := range body["handoffs"].([]any) {
			out = append(out, h.(map[string]any)["id"].(string))
		}
		return out
	}
	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{c.HandoffID, b.HandoffID}},
		{"?state=open", []string{c.HandoffID, b.HandoffID}},
		{"?state=all", []string{c.HandoffID, b.HandoffID, a.HandoffID}},
		{"?state=all&queue=general", []string{c.HandoffID, b.HandoffID, a.HandoffID}},
		{"?state=all&queue=vip", nil},
		{"?state=all&limit=1", []string{c.HandoffID}},
		{"?state=all&before=" + b.HandoffID, []string{a.HandoffID}},
		// A lead watching the queue lists a state as each handoff shows it:
		// who still waits for an agent, who has one, what ended.
		{"?state=waiting", []string{b.HandoffID}},
		{"?state=waiting&order=asc&queue=general", []string{b.HandoffID}},
		{"?state=human", []string{c.HandoffID}},
		{"?state=ended", []string{a.HandoffID}},
	}
	for _, tt := range tests {
		code, body := f.call(t, http.MethodGet, "/admin/handoffs"+tt.query, bootToken, nil)
		if code != http.StatusOK {
			t.Fatalf("handoffs%s: got %d %v", tt.query, code, body)
		}
		if got := ids(body); strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("handoffs%s: got %v, want %v", tt.query, got, tt.want)
		}
		if st := strings.TrimPrefix(tt.query, "?state="); !strings.ContainsAny(st, "&=") && st != "open" && st != "all" && st != "" {
			for _, h := range body["handoffs"].([]any) {
				if got := h.(map[string]any)["state"]; got != st {
					t.Errorf("handoffs%s: a handoff in state %v", tt.query, got)
				}
			}
		}
	}
	code, body := f.call(t, http.MethodGet, "/admin/handoffs/"+a.HandoffID, bootToken, nil)
	if code != http.StatusOK {
		t.Fatalf("handoff: got %d %v", code, body)
	}
	h := body["handoff"].(map[string]any)
	if h["state"] != "ended" || h["code"] != "K7Q2" || h["end_reason"] != "ended" {
		t.Errorf("handoff: got %v, want ended K7Q2", h)
	}
	if ag, _ := body["agent"].(map[string]any); ag["name"] != "김상담" {
		t.Errorf("agent: got %v, want 김상담", body["agent"])
	}
	if d, _ := body["deliveries"].(map[string]any); d["notify:console"] == nil {
		t.Errorf("deliveries: got %v, want notify:console", body["deliveries"])
	}
	if code, _ := f.call(t, http.MethodGet, "/admin/handoffs/01NOPE", bootToken, nil); code != http.StatusNotFound {
		t.Errorf("unknown handoff: got %d, want 404", code)
	}
	for _, p := range []string{"/admin/tickets", "/admin/hours/override"} {
		if code, _ := f.call(t, http.MethodGet, p, bootToken, nil); code != http.StatusNotImplemented {
			t.Errorf("%s without an implementation: got %d, want 501", p, code)
		}
	}
}

// schedule publishes a pending message schedule for timer kind.id, as the
// outbox relay does.
func schedule(t *testing.T, js jetstream.JetStream, kind, id string, due time.Time) {
	t.Helper()
	m := nats.NewMsg("baton.timer.sched." + kind + "." + id)
	m.Data = []byte(id)
	m.Header.Set("Nats-Schedule", "@at "+due.UTC().Format(time.RFC3339))
	m.Header.Set("Nats-Schedule-Target", "baton.timer.fire."+kind+"."+id)
	if _, err := js.PublishMsg(context.Background(), m); err != nil {
		t.Fatalf("publish schedule %s.%s: %v", kind, id, err)
	}
}

// timerSubjects returns the stream's subjects under baton.timer. with their
// message counts.
func timerSubjects(t *testing.T, js jetstream.JetStream) map[string]uint64 {
	t.Helper()
	s, err := js.Stream(context.Background(), handoff.StreamName)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background(), jetstream.WithSubjectFilter("baton.timer.>"))
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Subjects
}

func TestEraseUserEverywhere(t *testing.T) {
	f := newFixture(t, true, admin.Options{})
	at := time.Now().Add(-time.Hour).UTC()
	gone := testutil.SeedUser(t, f.db, "erase-target-9e0f3b", at)
	kept := testutil.SeedUser(t, f.db, "erase-bystander-20aa71", at.Add(time.Second))
	due := time.Now().Add(time.Hour)
	for _, u := range []testutil.SeededUser{gone, kept} {
		for _, tm := range u.Timers {
			schedule(t, f.js, tm.Kind, tm.ID, due)
		}
	}
	// A timer that already fired leaves its fire message behind.
	if _, err := f.js.Publish(context.Background(), "baton.timer.fire.reopen."+gone.Key, []byte(gone.Key)); err != nil {
		t.Fatal(err)
	}
	if err := f.db.Write(context.Background(), func(tx *sqlTx) error {
		_, err := tx.Exec(`INSERT INTO timers (kind, id, user_key, due_at, status, created_at) VALUES ('reopen', ?, ?, ?, 'fired', ?)`,
			gone.Key, gone.Key, at.UnixMilli(), at.UnixMilli())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	before := timerSubjects(t, f.js)
	if len(before) != 5 {
		t.Fatalf("stream timer subjects before erase: got %v, want 5", before)
	}

	code, body := f.call(t, http.MethodDelete, "/admin/users/"+url.PathEscape(gone.Key), bootToken, nil)
	if code != http.StatusOK || body["erased"] != true {
		t.Fatalf("erase: got %d %v, want 200 erased", code, body)
	}
	for _, needle := range gone.Needles() {
		if hits := testutil.FindInTables(t, f.db.ReadDB(), needle); len(hits) > 0 {
			t.Errorf("after erase, %q still in %v", needle, hits)
		}
	}
	after := timerSubjects(t, f.js)
	for subj := range after {
		for _, needle := range gone.Needles() {
			if strings.Contains(subj, needle) {
				t.Errorf("after erase, stream subject %s (pending %d) still names the user", subj, after[subj])
			}
		}
	}
	for _, tm := range kept.Timers {
		if subj := "baton.timer.sched." + tm.Kind + "." + tm.ID; after[subj] != 1 {
			t.Errorf("bystander's schedule %s: got %d messages, want 1", subj, after[subj])
		}
	}
	for _, needle := range kept.Needles() {
		if hits := testutil.FindInTables(t, f.db.ReadDB(), needle); len(hits) == 0 {
			t.Errorf("bystander's %q was erased too", needle)
		}
	}
	if code, _ := f.call(t, http.MethodGet, "/admin/conversations/"+url.PathEscape(gone.Key), bootToken, nil); code != http.StatusNotFound {
		t.Errorf("conversation after erase: got %d, want 404", code)
	}
	// The erasure itself is audited, under the keyed hash only.
	_, body = f.call(t, http.MethodGet, "/admin/access-log?user="+url.QueryEscape(gone.Key), bootToken, nil)
	entries := body["entries"].([]any)
	if len(entries) != 2 || entries[1].(map[string]any)["action"] != store.AccessEraseUser {
		t.Errorf("access log of the erased user: got %v, want erase then read", entries)
	}
}

// TestPathKeysDecodedOnce: a user key in the path is decoded exactly once,
// whether the request needed its raw form to route (an escaped "/") or not
// (an escaped "%": "%2541" is the key "%41", not "A").
func TestPathKeysDecodedOnce(t *testing.T) {
	f := newFixture(t, false, admin.Options{})
	at := time.Now().Add(-time.Hour).UTC()
	for _, key := range []string{"key%41-51c2", "key/slash-51c2", "key%2F-51c2"} {
		u := testutil.SeedUser(t, f.db, key, at)
		code, body := f.call(t, http.MethodGet, "/admin/conversations/"+url.PathEscape(u.Key), bootToken, nil)
		if code != http.StatusOK {
			t.Errorf("read conversation of %q: got %d %v, want 200", key, code, body)
			continue
		}
		if user, _ := body["user"].(map[string]any); user["key"] != key {
			t.Errorf("read conversation of %q: got user %v", key, body["user"])
		}
	}
}
