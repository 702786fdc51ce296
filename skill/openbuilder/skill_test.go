package openbuilder

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/labstack/echo/v5"
)

// recorded is one request the fake skill received.
type recorded struct {
	Token string
	Body  []byte
}

// canned is a fake skill answer.
type canned struct {
	status int
	body   string
}

// fakeSkill is a real Echo server on 127.0.0.1 standing in for a skill:
// it records every request and answers by utterance.
type fakeSkill struct {
	URL string

	mu       sync.Mutex
	requests []recorded
	answers  map[string]canned
}

func startFakeSkill(t *testing.T, answers map[string]canned) *fakeSkill {
	t.Helper()
	f := &fakeSkill{answers: answers}
	e := echo.New()
	e.POST("/skill", func(c *echo.Context) error {
		body, err := io.ReadAll(c.Request().Body)
		if err != nil {
			return err
		}
		var p struct {
			UserRequest struct {
				Utterance string `json:"utterance"`
			} `json:"userRequest"`
		}
		if err := json.Unmarshal(body, &p); err != nil {
			return c.String(http.StatusBadRequest, "bad payload")
		}
		f.mu.Lock()
		f.requests = append(f.requests, recorded{Token: c.Request().Header.Get("X-Baton-Token"), Body: body})
		a, ok := f.answers[p.UserRequest.Utterance]
		f.mu.Unlock()
		if !ok {
			return c.String(http.StatusNotFound, "no canned answer for "+p.UserRequest.Utterance)
		}
		return c.Blob(a.status, "application/json", []byte(a.body))
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	srv := &http.Server{Handler: e}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	f.URL = "http://" + ln.Addr().String() + "/skill"
	return f
}

func (f *fakeSkill) received() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.requests...)
}

func ok(body string) canned { return canned{status: http.StatusOK, body: body} }

const welcomeAnswer = `{"version":"2.0","template":{"outputs":[
 {"simpleText":{"text":"안녕하세요! 샘플몰입니다."}},
 {"textCard":{"title":"메뉴","description":"골라 주세요.","buttons":[
   {"label":"주문/배송","action":"message","messageText":"주문/배송","extra":{"baton":{"v":"v1","n":"main","o":"ship"}}},
   {"label":"샘플몰","action":"webLink","webLinkUrl":"https://www.sample-mall.co.kr"},
   {"label":"상담원 연결","action":"operator"}]}}],
 "quickReplies":[
   {"label":"배송 조회","action":"message","messageText":"배송 조회","extra":{"baton":{"v":"v1","n":"main","o":"track"}}},
   {"label":"이벤트","action":"block","blockId":"5d300e788192ac000132b8a4","messageText":"이벤트 보기"},
   {"label":"전화","action":"message"}]}}`

// decodeJSON turns JSON text into a generic value for cmp.
func decodeJSON(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	return v
}

func TestConversationPayloads(t *testing.T) {
	simple := func(text string) canned {
		return ok(`{"version":"2.0","template":{"outputs":[{"simpleText":{"text":"` + text + `"}}]}}`)
	}
	f := startFakeSkill(t, map[string]canned{
		"":         ok(welcomeAnswer),
		"배송 언제 와요": ok(welcomeAnswer),
		"배송 조회":    ok(welcomeAnswer),
		"주문/배송":    ok(welcomeAnswer),
		"이벤트 보기":   simple("이벤트"),
		"전화":       simple("전화"),
	})
	c := NewClient(f.URL)
	c.Token = "s3cret"
	cv := NewConversation(c, NewUser("철수"))
	ctx := context.Background()

	mustSend := func(a *Answer, err error) *Answer {
		t.Helper()
		if err != nil {
			t.Fatalf("send: %v", err)
		}
		return a
	}
	mustSend(cv.Welcome(ctx))
	mustSend(cv.Say(ctx, "배송 언제 와요"))
	// Choices of welcomeAnswer: 1 주문/배송, 2 link, 3 operator, then quick
	// replies 4 배송 조회, 5 이벤트 (block), 6 전화 (label only).
	tap := func(n int) string {
		t.Helper()
		_, note, err := cv.Tap(ctx, n)
		if err != nil {
			t.Fatalf("tap %d: %v", n, err)
		}
		return note
	}
	for n, want := range map[int]string{2: "[링크] 샘플몰 → https://www.sample-mall.co.kr", 3: "[상담원 연결]"} {
		if got := tap(n); got != want {
			t.Errorf("tap %d: got note %q, want %q", n, got, want)
		}
	}
	tap(4) // quick reply with extra
	tap(1) // card button with extra
	tap(5) // block quick reply
	mustSend(cv.Welcome(ctx))
	tap(6) // quick reply without messageText sends its label
	if _, _, err := cv.Tap(ctx, 7); !errors.Is(err, ErrNoChoice) {
		t.Errorf("tap 7 of 1: got %v, want ErrNoChoice", err)
	}

	key := NewUser("철수").BotUserKey
	if len(key) != 64 {
		t.Fatalf("botUserKey %q: got %d chars, want 64", key, len(key))
	}
	friend := NewUser("철수").PlusfriendUserKey
	welcome, fallback := WelcomeBlock, FallbackBlock
	payload := func(block Block, utterance string, extra, trigger string, referrer, last *Block) any {
		idName := func(b *Block) map[string]any {
			if b == nil {
				return map[string]any{"id": "", "name": ""}
			}
			return map[string]any{"id": b.ID, "name": b.Name}
		}
		flow := map[string]any{"trigger": map[string]any{"type": trigger, "referrerBlock": idName(referrer)}, "lastBlock": idName(last)}
		b := idName(&block)
		return map[string]any{
			"intent": map[string]any{"id": block.ID, "name": block.Name,
				"extra": map[string]any{"reason": map[string]any{"code": 1.0, "message": "OK"}}},
			"userRequest": map[string]any{
				"timezone": "Asia/Seoul", "block": b, "utterance": utterance, "lang": "ko",
				"params": map[string]any{"surface": "Kakaotalk.plusfriend"},
				"user": map[string]any{"id": key, "type": "botUserKey", "properties": map[string]any{
					"botUserKey": key, "plusfriendUserKey": friend, "isFriend": true,
					"bot_user_key": key, "plusfriend_user_key": friend}},
			},
			"bot": map[string]any{"id": DefaultBotID, "name": DefaultBotName},
			"action": map[string]any{"id": DefaultSkillID, "name": DefaultSkillName, "params": map[string]any{},
				"detailParams": map[string]any{}, "clientExtra": decodeJSON(t, []byte(extra))},
			"contexts": []any{},
			"flow":     flow,
		}
	}
	event := Block{ID: "5d300e788192ac000132b8a4"}
	wants := []struct {
		name string
		want any
	}{
		{"welcome", payload(welcome, "", `{}`, "TEXT_INPUT", nil, nil)},
		{"typed text", payload(fallback, "배송 언제 와요", `{}`, "TEXT_INPUT", nil, &welcome)},
		{"quick reply tap", payload(fallback, "배송 조회", `{"baton":{"v":"v1","n":"main","o":"track"}}`,
			"QUICKREPLY_BUTTON_MESSAGE", &fallback, &fallback)},
		{"card button tap", payload(fallback, "주문/배송", `{"baton":{"v":"v1","n":"main","o":"ship"}}`,
			"CARD_BUTTON_MESSAGE", &fallback, &fallback)},
		{"block quick reply tap", payload(event, "이벤트 보기", `{}`, "QUICKREPLY_BUTTON_BLOCK", &fallback, &fallback)},
		{"welcome again", payload(welcome, "", `{}`, "TEXT_INPUT", nil, &event)},
		{"label-only quick reply", payload(fallback, "전화", `{}`, "QUICKREPLY_BUTTON_MESSAGE", &welcome, &welcome)},
	}
	got := f.received()
	if len(got) != len(wants) {
		t.Fatalf("got %d requests, want %d (links and operator send nothing)", len(got), len(wants))
	}
	for i, w := range wants {
		if diff := cmp.Diff(w.want, decodeJSON(t, got[i].Body)); diff != "" {
			t.Errorf("request %d (%s) (-want +got):\n%s", i, w.name, diff)
		}
		if got[i].Token != "s3cret" {
			t.Errorf("request %d: got token %q, want %q", i, got[i].Token, "s3cret")
		}
	}
}

func TestClientVariants(t *testing.T) {
	f := startFakeSkill(t, map[string]canned{"안녕": ok(`{"version":"2.0","template":{"outputs":[{"simpleText":{"text":"네"}}]}}`)})
	c := NewClient(f.URL)
	c.Test = true
	u := NewUser("영희")
	u.IsFriend = false
	if _, err := c.Send(context.Background(), c.Payload(u, TextTurn("안녕"), nil)); err != nil {
		t.Fatalf("send: %v", err)
	}
	got := f.received()
	if len(got) != 1 {
		t.Fatalf("got %d requests, want 1", len(got))
	}
	if got[0].Token != "" {
		t.Errorf("got token header %q, want none", got[0].Token)
	}
	var p Payload
	if err := json.Unmarshal(got[0].Body, &p); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"surface": "BuilderBotTest", "ignoreMe": "true"}, p.UserRequest.Params); diff != "" {
		t.Errorf("params (-want +got):\n%s", diff)
	}
	if _, ok := p.UserRequest.User.Properties["isFriend"]; ok {
		t.Errorf("got isFriend in %v, want it absent for a non-friend", p.UserRequest.User.Properties)
	}
	if p.UserRequest.User.ID == NewUser("철수").BotUserKey || p.UserRequest.User.ID != NewUser("영희").BotUserKey {
		t.Errorf("got user id %q, want the key of 영희", p.UserRequest.User.ID)
	}
}

func TestUserKeysStable(t *testing.T) {
	a, b := NewUser("철수"), NewUser("철수")
	if a != b {
		t.Errorf("got %+v and %+v for the same name, want equal", a, b)
	}
	c := NewUser("영희")
	if c.BotUserKey == a.BotUserKey || c.PlusfriendUserKey == a.PlusfriendUserKey {
		t.Errorf("got the same keys for different names: %+v %+v", a, c)
	}
	if len(a.PlusfriendUserKey) != 12 {
		t.Errorf("got plusfriendUserKey %q, want 12 characters", a.PlusfriendUserKey)
	}
}

func TestSendErrors(t *testing.T) {
	f := startFakeSkill(t, map[string]canned{
		"ok":      ok(welcomeAnswer),
		"denied":  {status: http.StatusUnauthorized, body: `{"message":"Unauthorized"}`},
		"garbage": ok(`<html>oops</html>`),
		"cut":     ok(`{"version":"2.0","template":{"outputs":[`),
	})
	ctx := context.Background()
	cv := NewConversation(NewClient(f.URL), NewUser("철수"))
	tests := []struct {
		say     string
		want    error
		status  int
		choices int
	}{
		{"ok", nil, 200, 6},
		{"denied", ErrStatus, 401, 0},
		{"ok", nil, 200, 6},
		{"garbage", ErrInvalidJSON, 200, 0},
		{"cut", ErrInvalidJSON, 200, 0},
	}
	for _, tt := range tests {
		a, err := cv.Say(ctx, tt.say)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: got error %v, want %v", tt.say, err, tt.want)
		}
		if a == nil || a.Status != tt.status {
			t.Errorf("%s: got answer %+v, want status %d", tt.say, a, tt.status)
		}
		if got := len(cv.Choices()); got != tt.choices {
			t.Errorf("%s: got %d choices, want %d", tt.say, got, tt.choices)
		}
	}

	// Nothing listening: a transport error, with the request kept.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String() + "/skill"
	ln.Close()
	a, err := NewClient(url).Send(ctx, NewClient(url).Payload(NewUser("x"), WelcomeTurn(), nil))
	if err == nil || errors.Is(err, ErrStatus) || a == nil || len(a.Request) == 0 || a.Status != 0 {
		t.Errorf("refused: got answer %+v and error %v, want a transport error with the request kept", a, err)
	}
}

func decodeInto(b []byte, v any) error { return json.Unmarshal(b, v) }

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
