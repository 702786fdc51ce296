package bench

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"

	"github.com/baton-chat/baton/skill"
	"github.com/labstack/echo/v5"
)

// maxBody is the body limit of the bare handler, the same as Baton's /skill.
const maxBody = 64 << 10

// BareHandler returns the bare Echo v5 server Baton is measured against:
// POST /skill reads the body (at most 64 KB, else 413), decodes it with
// skill.Decode and answers a fixed, realistic menu (a textCard with a link
// button and seven quick replies carrying Baton-style extras), so the
// client does the same work per answer as with Baton. A body that does not
// decode gets the fallback bubble, as Baton would answer it.
func BareHandler() http.Handler {
	answer := mustMarshal(menuAnswer())
	fallback := mustMarshal(fallbackAnswer(DefaultAnswers().FallbackText))
	e := echo.NewWithConfig(echo.Config{Logger: slog.New(slog.DiscardHandler)})
	e.POST("/skill", func(c *echo.Context) error {
		body, status := readBody(c.Request())
		if status != http.StatusOK {
			return c.String(status, http.StatusText(status)+"\n")
		}
		if _, err := skill.Decode(body); err != nil {
			return c.Blob(http.StatusOK, "application/json; charset=utf-8", fallback)
		}
		return c.Blob(http.StatusOK, "application/json; charset=utf-8", answer)
	})
	return e
}

// readBody reads at most maxBody bytes the way Baton's server does; the
// status is 413 for a larger body and 400 for a broken read.
func readBody(r *http.Request) ([]byte, int) {
	if r.ContentLength > maxBody {
		return nil, http.StatusRequestEntityTooLarge
	}
	var buf bytes.Buffer
	if r.ContentLength > 0 {
		buf.Grow(int(r.ContentLength))
	}
	n, err := buf.ReadFrom(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, http.StatusBadRequest
	}
	if n > maxBody {
		return nil, http.StatusRequestEntityTooLarge
	}
	return buf.Bytes(), http.StatusOK
}

// Wire shapes of the fixed answers (spec §3).
type (
	wireResponse struct {
		Version  string       `json:"version"`
		Template wireTemplate `json:"template"`
	}
	wireTemplate struct {
		Outputs      []wireOutput `json:"outputs"`
		QuickReplies []QuickReply `json:"quickReplies,omitempty"`
	}
	wireOutput struct {
		SimpleText *wireText `json:"simpleText,omitempty"`
		TextCard   *wireCard `json:"textCard,omitempty"`
	}
	wireText struct {
		Text string `json:"text"`
	}
	wireCard struct {
		Description string       `json:"description"`
		Buttons     []wireButton `json:"buttons,omitempty"`
	}
	wireButton struct {
		Label      string `json:"label"`
		Action     string `json:"action"`
		WebLinkURL string `json:"webLinkUrl,omitempty"`
	}
)

// menuAnswer is what Baton answers for the 샘플몰 main menu.
func menuAnswer() wireResponse {
	options := []struct{ id, label string }{
		{"ship", "주문/배송"}, {"ret", "교환/반품"}, {"pay", "결제/환불"}, {"account", "회원/계정"},
		{"benefit", "쿠폰/포인트"}, {"product", "상품/재고"}, {"agent", "상담원 연결"},
	}
	r := wireResponse{Version: "2.0", Template: wireTemplate{Outputs: []wireOutput{{TextCard: &wireCard{
		Description: "무엇을 도와드릴까요? 아래에서 골라 주시거나 궁금한 점을 입력해 주세요.",
		Buttons:     []wireButton{{Label: "샘플몰 바로가기", Action: "webLink", WebLinkURL: "https://www.sample-mall.co.kr"}},
	}}}}}
	for _, o := range options {
		extra := mustMarshal(map[string]any{"baton": map[string]string{"v": "c7f3a2e19b04", "n": "main", "o": o.id, "s": "bot"}})
		r.Template.QuickReplies = append(r.Template.QuickReplies, QuickReply{Label: o.label, Action: "message", MessageText: o.label, Extra: extra})
	}
	return r
}

// fallbackAnswer is Baton's stateless fallback bubble.
func fallbackAnswer(text string) wireResponse {
	return wireResponse{Version: "2.0", Template: wireTemplate{Outputs: []wireOutput{{TextCard: &wireCard{
		Description: text,
		Buttons:     []wireButton{{Label: "상담원 연결", Action: "operator"}},
	}}}}}
}

// rateLimitedAnswer is Baton's answer to a turn over the rate limit.
func rateLimitedAnswer(text string) wireResponse {
	return wireResponse{Version: "2.0", Template: wireTemplate{Outputs: []wireOutput{{SimpleText: &wireText{Text: text}}}}}
}

func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("bench: marshal fixed answer: " + err.Error()) // static values; cannot happen
	}
	return b
}
