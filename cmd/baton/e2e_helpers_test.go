package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/store"
)

// exampleConfig is the config most e2e tests run: the shipped reference
// config (shippedExample) switched to 상담톡, so its vip queue reaches the
// happytalk dealer (sangdamtalkExample). TestMain writes it.
var exampleConfig string

// testClock is an injectable clock for turns.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// startBaton runs the real server (embedded NATS, SQLite in a temp dir, Echo
// on 127.0.0.1) and stops it when the test ends.
func startBaton(t testing.TB, configPath, dataDir string, clock *testClock) *Main {
	t.Helper()
	return startBatonLogging(t, configPath, dataDir, clock, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// startBatonLogging is startBaton with the server's logs going to logger;
// configure, if any, sets further fields of Main before it runs.
func startBatonLogging(t testing.TB, configPath, dataDir string, clock *testClock, logger *slog.Logger, configure ...func(*Main)) *Main {
	t.Helper()
	m := NewMain()
	m.ConfigPath = configPath
	m.Addr, m.AdminAddr = "127.0.0.1:0", "127.0.0.1:0"
	m.DataDir = dataDir
	m.Logger = logger
	if clock != nil {
		m.Now = clock.Now
	}
	for _, c := range configure {
		c(m)
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("start baton: %v", err)
	}
	t.Cleanup(func() {
		// Issue 6 acceptance: after any scenario, nobody waits in waiting
		// or after_hours without a pending timer to end it.
		// (A test that closed the store on purpose has nothing to check.)
		if keys, err := m.DB.ConversationsWithoutTimer(context.Background()); len(keys) > 0 || (err != nil && !errors.Is(err, store.ErrClosed)) {
			t.Errorf("conversations without a timer after the scenario: %v (err %v); want none", keys, err)
		}
		// Connections the client dialed but never used look new to the
		// server, and http.Server.Shutdown waits up to 5 s for those.
		http.DefaultClient.CloseIdleConnections()
		_ = m.Close()
	})
	return m
}

// postSkill sends body to /skill and returns the status and response body.
func postSkill(t testing.TB, m *Main, body []byte, header map[string]string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, "http://"+m.PublicAddr()+"/skill", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST /skill: %v", err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, out
}

// turn is a minimal Open Builder request as Kakao sends it.
type turn struct {
	User      string
	Block     string // block name; "폴백 블록" when empty
	Utterance string
	Extra     map[string]any // action.clientExtra
	Trigger   string
	IsFriend  bool
	BotID     string
	Test      bool
}

func (tr turn) payload() []byte {
	block := tr.Block
	if block == "" {
		block = "폴백 블록"
	}
	props := map[string]any{"botUserKey": tr.User, "plusfriendUserKey": "pf-" + tr.User}
	if tr.IsFriend {
		props["isFriend"] = true
	}
	botID := tr.BotID
	if botID == "" {
		botID = "5ae9b76d7409b11ec845b746"
	}
	params := map[string]any{"surface": "Kakaotalk.plusfriend"}
	if tr.Test {
		params = map[string]any{"surface": "BuilderBotTest", "ignoreMe": "true"}
	}
	extra := tr.Extra
	if extra == nil {
		extra = map[string]any{}
	}
	trigger := tr.Trigger
	if trigger == "" {
		trigger = "TEXT_INPUT"
	}
	p := map[string]any{
		"intent": map[string]any{"id": "blk-" + block, "name": block},
		"userRequest": map[string]any{
			"timezone":  "Asia/Seoul",
			"block":     map[string]any{"id": "blk-" + block, "name": block},
			"utterance": tr.Utterance,
			"lang":      "ko",
			"params":    params,
			"user":      map[string]any{"id": tr.User, "type": "botUserKey", "properties": props},
		},
		"bot":      map[string]any{"id": botID, "name": "샘플몰 고객센터"},
		"action":   map[string]any{"id": "act", "name": "baton", "params": map[string]any{}, "detailParams": map[string]any{}, "clientExtra": extra},
		"contexts": []any{},
		"flow":     map[string]any{"trigger": map[string]any{"type": trigger}},
	}
	b, err := json.Marshal(p)
	if err != nil {
		panic(err)
	}
	return b
}

// response is the part of a SkillResponse the tests read.
type response struct {
	Version  string `json:"version"`
	Template struct {
		Outputs      []map[string]json.RawMessage `json:"outputs"`
		QuickReplies []struct {
			Label       string         `json:"label"`
			Action      string         `json:"action"`
			MessageText string         `json:"messageText"`
			Extra       map[string]any `json:"extra"`
		} `json:"quickReplies"`
	} `json:"template"`
}

func parseResponse(t testing.TB, body []byte) response {
	t.Helper()
	var r response
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, body)
	}
	return r
}

// text returns every visible string of the outputs, for content checks.
func (r response) text() string {
	var b bytes.Buffer
	for _, o := range r.Template.Outputs {
		for k, v := range o {
			fmt.Fprintf(&b, "[%s] %s\n", k, v)
		}
	}
	return b.String()
}

// quickReply returns the quick reply with the given label.
func (r response) quickReply(t testing.TB, label string) (string, map[string]any) {
	t.Helper()
	for _, q := range r.Template.QuickReplies {
		if q.Label == label {
			return q.MessageText, q.Extra
		}
	}
	t.Fatalf("no quick reply %q in %+v", label, r.Template.QuickReplies)
	return "", nil
}

// adminRaw sends an admin API request with token (none when empty) and a
// JSON body (none when empty) and returns the status and the raw answer.
func adminRaw(t testing.TB, m *Main, token, method, path, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, "http://"+m.AdminAddrBound()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
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
	return resp.StatusCode, raw
}

// adminAs is adminRaw for an answer that must be a JSON object, decoded.
func adminAs(t testing.TB, m *Main, token, method, path, body string) (int, map[string]any) {
	t.Helper()
	code, raw := adminRaw(t, m, token, method, path, body)
	out := map[string]any{}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%s %s: not a JSON object: %q", method, path, raw)
	}
	return code, out
}

// adminCall sends a bodiless request with the bootstrap master token and
// decodes the JSON object it answers.
func adminCall(t testing.TB, m *Main, method, path string) (int, map[string]any) {
	t.Helper()
	return adminAs(t, m, e2eAdminToken, method, path, "")
}

// adminSend sends a request with a JSON body and the bootstrap master token
// and returns the status and the answer as text.
func adminSend(t testing.TB, m *Main, method, path, body string) (int, string) {
	t.Helper()
	code, raw := adminRaw(t, m, e2eAdminToken, method, path, body)
	return code, string(raw)
}

// adminGetAs sends GET path with token and returns the status and the raw
// answer.
func adminGetAs(t testing.TB, m *Main, token, path string) (int, []byte) {
	t.Helper()
	return adminRaw(t, m, token, http.MethodGet, path, "")
}
