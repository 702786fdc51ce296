package skill_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/kakaospec"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/skill"
	"github.com/baton-chat/baton/store"
)

// realParts builds the real engine from the example config and a real
// SQLite store in a temp dir.
func realParts(t testing.TB) (*configs.Config, *fsm.Engine, *store.DB) {
	t.Helper()
	cfg := testutil.ExampleSangdamtalk(t, "../configs/example.yaml")
	return cfg, testutil.EngineFor(t, cfg), testutil.Store(t)
}

// panicky panics on one utterance, to prove a panic still gets 200 + fallback.
type panicky struct{ skill.Engine }

func (p panicky) Step(c fsm.Conversation, in fsm.Input) fsm.Outcome {
	if in.Utterance == "panic please" {
		panic("engine exploded")
	}
	return p.Engine.Step(c, in)
}

// slowLoads delays every Load past the hard deadline.
type slowLoads struct {
	skill.Conversations
	delay time.Duration
}

func (s slowLoads) Load(ctx context.Context, key string) (store.User, fsm.Conversation, bool, error) {
	select {
	case <-time.After(s.delay):
	case <-ctx.Done():
	}
	return s.Conversations.Load(ctx, key)
}

func payload(user, utterance string) []byte {
	b, _ := json.Marshal(map[string]any{
		"intent":      map[string]any{"id": "f", "name": "폴백 블록"},
		"userRequest": map[string]any{"block": map[string]any{"id": "f", "name": "폴백 블록"}, "utterance": utterance, "user": map[string]any{"id": user, "type": "botUserKey", "properties": map[string]any{"isFriend": true}}},
		"bot":         map[string]any{"id": "bot1", "name": "샘플몰"},
		"action":      map[string]any{"clientExtra": map[string]any{}},
	})
	return b
}

func post(t *testing.T, h http.Handler, body []byte) (int, []byte) {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Post(srv.URL+"/skill", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

func fallbackOf(cfg *configs.Config) []byte {
	return skill.Fallback(cfg.Texts.Fallback, cfg.Texts.FallbackButton)
}

func TestPanicInTurnGetsFallback(t *testing.T) {
	cfg, e, db := realParts(t)
	logs := &bytes.Buffer{}
	s := skill.NewServer(slog.New(slog.NewTextHandler(logs, nil)), panicky{e}, db, handoff.Effects{}, nil, skill.Options{
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
	})
	code, out := post(t, s.Handler(), payload("u-panic", "panic please"))
	if code != 200 || !bytes.Equal(out, fallbackOf(cfg)) {
		t.Fatalf("got %d %s, want 200 + the fallback", code, out)
	}
	if !strings.Contains(logs.String(), "reason=panic") {
		t.Fatalf("the panic was not logged with its reason:\n%s", logs)
	}
	if strings.Contains(logs.String(), "panic please") {
		t.Fatal("the log contains the utterance")
	}
	// The next turn of the same user is served normally.
	code, out = post(t, s.Handler(), payload("u-panic", "배송 조회"))
	if code != 200 || bytes.Equal(out, fallbackOf(cfg)) {
		t.Fatalf("after a panic: got %d %s", code, out)
	}
	if err := kakaospec.Validate(out); err != nil {
		t.Fatal(err)
	}
}

func TestHardDeadlineGetsFallback(t *testing.T) {
	cfg, e, db := realParts(t)
	s := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, slowLoads{db, 2 * time.Second}, handoff.Effects{}, nil, skill.Options{
		SoftDeadline: 50 * time.Millisecond, HardDeadline: 100 * time.Millisecond,
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
	})
	start := time.Now()
	code, out := post(t, s.Handler(), payload("u-slow", "배송 조회"))
	if code != 200 || !bytes.Equal(out, fallbackOf(cfg)) {
		t.Fatalf("got %d %s, want 200 + the fallback", code, out)
	}
	if el := time.Since(start); el > 1500*time.Millisecond {
		t.Fatalf("answered after %v: the deadline did not cut the turn short", el)
	}
}

func TestRateLimitAnswersShortText(t *testing.T) {
	cfg, e, db := realParts(t)
	var clock atomic.Int64 // unix nanos; read by the server goroutine
	clock.Store(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC).UnixNano())
	s := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, db, handoff.Effects{}, nil, skill.Options{
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
		Now: func() time.Time { return time.Unix(0, clock.Load()) },
	})
	limited := skill.TextResponse(cfg.Texts.RateLimited)
	for i := range 5 { // the burst
		if code, out := post(t, s.Handler(), payload("u-rate", "배송 조회")); code != 200 || bytes.Equal(out, limited) {
			t.Fatalf("turn %d within the burst: got %d %s", i, code, out)
		}
	}
	code, out := post(t, s.Handler(), payload("u-rate", "배송 조회"))
	if code != 200 || !bytes.Equal(out, limited) {
		t.Fatalf("turn 6 at the same instant: got %d %s, want the rate-limit text", code, out)
	}
	if err := kakaospec.Validate(out); err != nil {
		t.Fatal(err)
	}
	n, err := db.CountTurns(context.Background(), "u-rate")
	if err != nil || n != 5 {
		t.Fatalf("got %d stored turns (%v), want 5: a limited turn is not stored", n, err)
	}
	// Another user is not affected, and a second later one more token is there.
	if _, out := post(t, s.Handler(), payload("u-rate-2", "배송 조회")); bytes.Equal(out, limited) {
		t.Fatal("another user was limited")
	}
	clock.Add(int64(1100 * time.Millisecond))
	if _, out := post(t, s.Handler(), payload("u-rate", "배송 조회")); bytes.Equal(out, limited) {
		t.Fatal("still limited after the bucket refilled one token")
	}
}

// callbackHost is a loopback stand-in for bot-api.kakao.com's callback endpoint.
type callbackHost struct {
	mu     sync.Mutex
	bodies [][]byte
}

func (h *callbackHost) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	h.bodies = append(h.bodies, b)
	h.mu.Unlock()
	_, _ = w.Write([]byte(`{"taskId":"t1","status":"SUCCESS"}`))
}

func (h *callbackHost) got() [][]byte {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([][]byte(nil), h.bodies...)
}

func withCallback(t *testing.T, user, utterance, cbURL string, test bool) []byte {
	t.Helper()
	var p map[string]any
	if err := json.Unmarshal(payload(user, utterance), &p); err != nil {
		t.Fatal(err)
	}
	ur := p["userRequest"].(map[string]any)
	ur["callbackUrl"] = cbURL
	if test {
		ur["params"] = map[string]any{"surface": "BuilderBotTest", "ignoreMe": "true"}
	}
	b, _ := json.Marshal(p)
	return b
}

func TestSoftDeadlineFinishesThroughCallback(t *testing.T) {
	cfg, e, db := realParts(t)
	host := &callbackHost{}
	hs := httptest.NewServer(host)
	defer hs.Close()
	cb := handoff.NewCallbackClient([]string{strings.TrimPrefix(hs.URL, "http://")})
	cb.AllowHTTP = true // the recorder is plain http on loopback
	s := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, slowLoads{db, 300 * time.Millisecond}, handoff.Effects{}, nil, skill.Options{
		SoftDeadline: 50 * time.Millisecond, HardDeadline: 2 * time.Second, Callbacks: cb, CallbackText: cfg.Texts.CallbackWait,
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
	})
	cbURL := hs.URL + "/v1/bots/5ae9b76d7409b11ec845b746/callback/one-time-token"

	code, out := post(t, s.Handler(), withCallback(t, "u-cb", "배송 조회", cbURL, false))
	if code != 200 || !bytes.Equal(out, skill.CallbackAck(cfg.Texts.CallbackWait)) {
		t.Fatalf("got %d %s, want the useCallback answer", code, out)
	}
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		if n := len(host.got()); n != 1 {
			return fmt.Errorf("callback host got %d posts", n)
		}
		return nil
	})
	final := host.got()[0]
	if err := kakaospec.Validate(final); err != nil {
		t.Fatalf("callback body is not a valid SkillResponse: %v\n%s", err, final)
	}
	if bytes.Equal(final, fallbackOf(cfg)) {
		t.Fatal("the callback delivered the fallback")
	}
	if n, _ := db.CountTurns(context.Background(), "u-cb"); n != 1 {
		t.Fatalf("got %d stored turns, want 1", n)
	}

	// Bot-test traffic never uses the callback: it waits for the answer.
	code, out = post(t, s.Handler(), withCallback(t, "u-cb-test", "배송 조회", cbURL, true))
	if code != 200 || bytes.Equal(out, skill.CallbackAck(cfg.Texts.CallbackWait)) || bytes.Equal(out, fallbackOf(cfg)) {
		t.Fatalf("bot test: got %d %s, want the direct answer", code, out)
	}
	// A callback URL off the allow-list is never called.
	code, out = post(t, s.Handler(), withCallback(t, "u-cb-evil", "배송 조회", "https://evil.example/v1/bots/b/callback/x", false))
	if code != 200 || bytes.Equal(out, skill.CallbackAck(cfg.Texts.CallbackWait)) {
		t.Fatalf("off-list callback: got %d %s, want the direct answer", code, out)
	}
	if n := len(host.got()); n != 1 {
		t.Fatalf("callback host got %d posts, want still 1", n)
	}
}
