package openbuilder

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Defaults of a Client.
const (
	DefaultURL         = "http://127.0.0.1:8080/skill"
	DefaultTokenHeader = "X-Baton-Token"
	DefaultBotID       = "64b7f0c2a91e3d5b8c4f2a17"
	DefaultBotName     = "샘플몰 고객센터"
	DefaultSkillID     = "64b7f0c2a91e3d5b8c4f2a20"
	DefaultSkillName   = "baton"
	// DefaultTimeout is how long Open Builder waits for a skill answer.
	DefaultTimeout = 5 * time.Second
	// maxResponse bounds how much of a response body is read (Kakao's own
	// limit is 30 KB; this leaves room to show what went wrong).
	maxResponse = 1 << 20
)

// ErrStatus is wrapped by Send's error when the skill answered a status
// other than 200; Open Builder shows its own error then.
var ErrStatus = errors.New("openbuilder: skill answered non-200")

// ErrInvalidJSON is wrapped by Send's error when the body is not a JSON
// SkillResponse.
var ErrInvalidJSON = errors.New("openbuilder: response is not valid JSON")

// Client sends turns to one skill URL the way Open Builder does. The zero
// value is not usable; call NewClient. Fields may be changed before use.
type Client struct {
	URL         string
	HTTP        *http.Client
	Token       string // sent in TokenHeader when not empty (헤더값)
	TokenHeader string
	BotID       string // sent as bot.id ("!" suffix = development channel)
	BotName     string
	SkillID     string // action.id
	SkillName   string // action.name
	// Test sends the turn as the admin centre's bot test panel does
	// (surface BuilderBotTest, ignoreMe "true").
	Test bool
}

// NewClient returns a Client for the skill at url with the defaults above.
func NewClient(url string) *Client {
	return &Client{
		URL:         url,
		HTTP:        &http.Client{Timeout: DefaultTimeout},
		TokenHeader: DefaultTokenHeader,
		BotID:       DefaultBotID,
		BotName:     DefaultBotName,
		SkillID:     DefaultSkillID,
		SkillName:   DefaultSkillName,
	}
}

// Payload builds the SkillPayload of turn t by user u; last is the block
// that ran before (flow.lastBlock), nil on the first turn.
func (c *Client) Payload(u User, t Turn, last *Block) Payload {
	params := map[string]string{"surface": SurfaceKakaoTalk}
	if c.Test {
		params = map[string]string{"surface": SurfaceBotTest, "ignoreMe": "true"}
	}
	// Real payloads carry snake_case duplicates of the keys too (spec §10).
	props := map[string]any{
		"botUserKey":          u.BotUserKey,
		"plusfriendUserKey":   u.PlusfriendUserKey,
		"bot_user_key":        u.BotUserKey,
		"plusfriend_user_key": u.PlusfriendUserKey,
	}
	if u.IsFriend {
		props["isFriend"] = true
	}
	extra := t.ClientExtra
	if extra == nil {
		extra = map[string]any{}
	}
	trigger := t.Trigger
	if trigger == "" {
		trigger = TriggerTextInput
	}
	flow := Flow{Trigger: FlowTrigger{Type: trigger}}
	if t.Referrer != nil {
		flow.Trigger.ReferrerBlock = *t.Referrer
	}
	if last != nil {
		flow.LastBlock = *last
	}
	return Payload{
		Intent: Intent{ID: t.Block.ID, Name: t.Block.Name,
			Extra: map[string]any{"reason": map[string]any{"code": 1, "message": "OK"}}},
		UserRequest: UserRequest{
			Timezone:  "Asia/Seoul",
			Block:     t.Block,
			Utterance: t.Utterance,
			Lang:      "ko",
			Params:    params,
			User:      PayloadUser{ID: u.BotUserKey, Type: "botUserKey", Properties: props},
		},
		Bot: Block{ID: c.BotID, Name: c.BotName},
		Action: Action{
			ID:           c.SkillID,
			Name:         c.SkillName,
			Params:       map[string]any{},
			DetailParams: map[string]any{},
			ClientExtra:  extra,
		},
		Contexts: []any{},
		Flow:     flow,
	}
}

// Answer is what came back for one turn.
type Answer struct {
	Request []byte // the JSON body sent
	Status  int    // HTTP status; 0 when the request failed
	Body    []byte // the raw response body
	// Response is the decoded SkillResponse; nil when the status was not
	// 200 or the body was not JSON.
	Response *Response
	// Problems are the ways the response breaks Kakao's rules (see Check)
	// or fields that had the wrong type; empty for a clean response.
	Problems []string
	// Text is the response rendered for a terminal, and Choices its
	// numbered buttons, list items and quick replies (see Render).
	Text    string
	Choices []Choice
}

// Send POSTs p and decodes the answer. It returns the Answer together with
// an error wrapping ErrStatus (non-200) or ErrInvalidJSON (body not JSON);
// on a transport failure (refused, timeout) the error comes with an Answer
// holding only Request.
func (c *Client) Send(ctx context.Context, p Payload) (*Answer, error) {
	body, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("openbuilder: marshal payload: %w", err)
	}
	a := &Answer{Request: body}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(body))
	if err != nil {
		return a, fmt.Errorf("openbuilder: new request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if c.Token != "" {
		h := c.TokenHeader
		if h == "" {
			h = DefaultTokenHeader
		}
		req.Header.Set(h, c.Token)
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: DefaultTimeout}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return a, fmt.Errorf("openbuilder: post %s: %w", c.URL, err)
	}
	defer resp.Body.Close()
	a.Status = resp.StatusCode
	if a.Body, err = io.ReadAll(io.LimitReader(resp.Body, maxResponse)); err != nil {
		return a, fmt.Errorf("openbuilder: read response: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return a, fmt.Errorf("%w: %s", ErrStatus, resp.Status)
	}
	r, problems, err := Decode(a.Body)
	if err != nil {
		return a, err
	}
	a.Response, a.Problems = r, problems
	a.Text, a.Choices = Render(r)
	return a, nil
}
