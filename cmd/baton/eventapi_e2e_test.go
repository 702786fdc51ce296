package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
)

// kakaoEventHost is a loopback stand-in for bot-api.kakao.com: it records
// Event API calls and says every task succeeded.
type kakaoEventHost struct {
	mu    sync.Mutex
	calls []kakaoCall
	polls int
}

type kakaoCall struct {
	Path, Auth string
	Body       handoff.EventRequest
}

func (k *kakaoEventHost) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	k.mu.Lock()
	defer k.mu.Unlock()
	if strings.HasPrefix(r.URL.Path, "/v1/tasks/") {
		k.polls++
		_, _ = fmt.Fprintf(w, `{"taskId":%q,"status":"ALL SUCCESS"}`, strings.TrimPrefix(r.URL.Path, "/v1/tasks/"))
		return
	}
	c := kakaoCall{Path: r.URL.Path, Auth: r.Header.Get("Authorization")}
	_ = json.Unmarshal(raw, &c.Body)
	k.calls = append(k.calls, c)
	_, _ = fmt.Fprintf(w, `{"taskId":"task-%d","status":"SUCCESS"}`, len(k.calls))
}

func (k *kakaoEventHost) got() []kakaoCall {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]kakaoCall(nil), k.calls...)
}

// TestSlowEventAPIEndToEnd runs the real server with the Event API pointed at a
// loopback Kakao: a pending reopen notification for a friend goes out on the
// deliverer's loop, a stranger's is skipped, and the event block's turn
// answers the message's text. The loop runs every 100 ms instead of 5 s.
func TestSlowEventAPIEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("e2e: runs the deliverer's loop")
	}
	host := &kakaoEventHost{}
	srv := httptest.NewServer(host)
	defer srv.Close()
	t.Setenv("BATON_EVENT_API_URL", srv.URL)
	t.Setenv("BATON_EVENT_API_KEY", "e2e-key")
	m := startBatonLogging(t, exampleConfig, t.TempDir(), nil, slog.New(slog.DiscardHandler),
		func(m *Main) { m.EventAPIInterval = 100 * time.Millisecond })
	ctx := context.Background()

	postSkill(t, m, turn{User: "friend", Utterance: "안녕하세요", IsFriend: true, BotID: "botA"}.payload(), nil)
	postSkill(t, m, turn{User: "stranger", Utterance: "안녕하세요", BotID: "botA"}.payload(), nil)
	for _, u := range []string{"friend", "stranger"} {
		if err := m.DB.AddNotification(ctx, &store.Notification{UserKey: u, Kind: store.NotifyReopen}); err != nil {
			t.Fatal(err)
		}
	}
	testutil.CheckFor(t, 20*time.Second, 50*time.Millisecond, func() error {
		if n := len(host.got()); n != 1 {
			return fmt.Errorf("kakao got %d calls", n)
		}
		return nil
	})
	c := host.got()[0]
	if c.Path != "/v2/bots/botA/talk" || c.Auth != "KakaoAK e2e-key" || c.Body.Event.Name != m.Config.EventAPI.Events["reopen"] {
		t.Fatalf("got %s %q event %q, want /v2/bots/botA/talk, KakaoAK e2e-key, the reopen event", c.Path, c.Auth, c.Body.Event.Name)
	}
	if len(c.Body.User) != 1 || c.Body.User[0].ID != "friend" {
		t.Fatalf("got users %+v, want the friend only", c.Body.User)
	}

	// Kakao runs the event block for the friend.
	p := map[string]any{}
	if err := json.Unmarshal(turn{User: "friend", Block: m.Config.EventAPI.Events["reopen"], IsFriend: true, BotID: "botA"}.payload(), &p); err != nil {
		t.Fatal(err)
	}
	p["userRequest"].(map[string]any)["params"] = c.Body.Params
	body, _ := json.Marshal(p)
	code, out := postSkill(t, m, body, nil)
	if r := parseResponse(t, out); code != 200 || !strings.Contains(r.text(), "상담 시간이 시작되었어요") {
		t.Fatalf("event block: got %d %s, want the reopen text", code, out)
	}

	// The stranger may be added after the round that sent the friend's, and
	// "sent" is counted after Kakao answers: wait for both counts.
	testutil.CheckFor(t, 20*time.Second, 50*time.Millisecond, func() error {
		_, metrics := getAdmin(t, m, "/metrics")
		for _, want := range []string{`baton_eventapi_messages_total{result="sent"} 1`, `baton_eventapi_messages_total{result="skipped"} 1`, `baton_csat_answers{score="5"} 0`} {
			if !strings.Contains(metrics, want) {
				return fmt.Errorf("metrics lack %s", want)
			}
		}
		return nil
	})
	if n := len(host.got()); n != 1 {
		t.Fatalf("kakao got %d calls after the stranger was skipped, want 1", n)
	}
}
