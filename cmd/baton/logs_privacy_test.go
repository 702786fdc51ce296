package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/testlog"
	"github.com/baton-chat/baton/internal/testutil"
)

// TestLogsCarryNoPersonalData drives real turns through the real server with
// a JSON log handler at debug level and checks that no log line holds an
// utterance, a user key or a callback URL.
func TestLogsCarryNoPersonalData(t *testing.T) {
	t.Setenv("BATON_HOURS_OVERRIDE", "open") // so the handoff is opened and routed
	var logs testlog.Buffer
	m := startBatonLogging(t, exampleConfig, t.TempDir(), nil, slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		fastRelaySweep) // the router's no_sink ticket is published on the sweep

	const (
		user     = "u-secret-7Q2Zk9"
		phone    = "010-2468-1357"
		utter    = "환불 문의인데요 제 번호는 " + phone + " 입니다"
		callback = "https://bot-api.kakao.com/v1/callback/secret-cb-token-8841"
	)
	turns := [][]byte{
		turn{User: user, Block: "웰컴 블록", Utterance: "안녕하세요", IsFriend: true}.payload(),
		turn{User: user, Utterance: utter, IsFriend: true}.payload(),
		withCallback(t, turn{User: user, Utterance: "배송 조회는 어떻게 하나요", IsFriend: true}.payload(), callback),
		turn{User: user, Utterance: "상담원 연결해 주세요"}.payload(),
		[]byte(`{"userRequest": {"utterance": "` + utter + `"`), // malformed: logged as a decode failure
	}
	answers := make([][]byte, len(turns))
	for i, body := range turns {
		code, out := postSkill(t, m, body, nil)
		if code != http.StatusOK {
			t.Fatalf("turn %d: got status %d, want 200: %s", i, code, out)
		}
		answers[i] = out
	}
	// Confirm the handoff: it is committed, published and routed (the
	// example's sinks have no URL, so the router records that no sink could
	// announce it), all of which may log.
	text, extra := parseResponse(t, answers[3]).quickReply(t, m.Config.Texts.ConfirmYes)
	if code, out := postSkill(t, m, turn{User: user, Utterance: text, Extra: extra, Trigger: "QUICKREPLY_BUTTON_MESSAGE"}.payload(), nil); code != http.StatusOK {
		t.Fatalf("confirm: got %d: %s", code, out)
	}
	testutil.CheckFor(t, 10*time.Second, 10*time.Millisecond, func() error {
		if _, ok, err := m.DB.OpenHandoff(context.Background(), user); err != nil || !ok {
			return fmt.Errorf("no open handoff (%v)", err)
		}
		if msgs, err := m.DB.PendingOutbox(context.Background(), 10); err != nil || len(msgs) > 0 {
			return fmt.Errorf("%d outbox rows unpublished (%v)", len(msgs), err)
		}
		return nil
	})
	if n, err := m.DB.CountTurns(context.Background(), user); err != nil || n != 5 {
		t.Fatalf("stored turns: got %d, %v; want 5", n, err)
	}
	_ = m.Close()

	out := logs.String()
	if !strings.Contains(out, `"msg"`) {
		t.Fatalf("no log lines captured: the test would pass vacuously")
	}
	// The number whole, without dashes, and its last eight digits: shorter
	// fragments turn up by chance in the nanoseconds of log timestamps.
	for _, secret := range []string{user, phone, "01024681357", "2468-1357", "환불 문의", "배송 조회는", "상담원 연결해", callback, "secret-cb-token", "pf-" + user} {
		if strings.Contains(out, secret) {
			for _, line := range strings.Split(out, "\n") {
				if strings.Contains(line, secret) {
					t.Errorf("log line holds %q: %s", secret, line)
				}
			}
		}
	}
}

// withCallback adds userRequest.callbackUrl to a payload.
func withCallback(t testing.TB, body []byte, url string) []byte {
	t.Helper()
	var p map[string]any
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	p["userRequest"].(map[string]any)["callbackUrl"] = url
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestExternalHandoffLogsNoUserKey: a dealer event that opens an external
// handoff (a user who reached 상담톡 through the channel's own menu, DESIGN
// §6) is logged without the user's key, as README and docs/ops.md promise.
// TestLogsCarryNoPersonalData does not reach this path.
func TestExternalHandoffLogsNoUserKey(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_DEALER_URL"] = "http://127.0.0.1:1/baton"
	env["BATON_DEALER_SECRET"] = e2eDealerSecret
	const user = "u-secret-ext-5Kp3"
	var logs testlog.Buffer
	m := startBatonLogging(t, exampleConfig, t.TempDir(), nil,
		slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})), env.configure)
	if code, out := postSkill(t, m, turn{User: user, Block: "웰컴 블록", IsFriend: true}.payload(), nil); code != http.StatusOK {
		t.Fatalf("welcome: got %d: %s", code, out)
	}
	code := dealerEvent(t, m, e2eDealerSecret, map[string]any{
		"version": 1, "id": "ev-ext-log-1", "type": "session.started",
		"user": map[string]any{"plusfriend_user_key": "pf-" + user},
		"at":   time.Now().UTC().Format(time.RFC3339), "agent": map[string]any{"id": "a1", "name": "김상담"},
	})
	if code != http.StatusOK {
		t.Fatalf("dealer event: got %d, want 200", code)
	}
	if !strings.Contains(logs.String(), "external handoff opened") {
		t.Fatalf("no external handoff was opened; logs:\n%s", logs.String())
	}
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, user) {
			t.Errorf("log line carries the user key %q: %s", user, line)
		}
	}
}

// TestTurnFailureLogsNoUserKey: a turn that fails in the store answers the
// fallback and logs why, and the store's error names no user.
func TestTurnFailureLogsNoUserKey(t *testing.T) {
	t.Parallel()
	const user = "u-secret-fail-3Vq8"
	var logs testlog.Buffer
	m := startBatonLogging(t, exampleConfig, t.TempDir(), nil,
		slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err := m.DB.Close(); err != nil { // every later load fails: store: closed
		t.Fatal(err)
	}
	if code, out := postSkill(t, m, turn{User: user, Utterance: "안녕하세요", IsFriend: true}.payload(), nil); code != http.StatusOK {
		t.Fatalf("turn on a closed store: got %d: %s, want 200 and the fallback", code, out)
	}
	if !strings.Contains(logs.String(), "skill: answered the fallback") || !strings.Contains(logs.String(), "store: closed") {
		t.Fatalf("no fallback logged with the store's error; logs:\n%s", logs.String())
	}
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, user) {
			t.Errorf("log line carries the user key %q: %s", user, line)
		}
	}
}
