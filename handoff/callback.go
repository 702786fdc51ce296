package handoff

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ErrCallbackURL is returned for a callback URL Baton refuses to call: not
// https, a host off the allow-list, or unparsable. No request is made.
var ErrCallbackURL = errors.New("handoff: callback url refused")

// CallbackClient posts the final SkillResponse of a turn that answered
// useCallback:true to the one-time callbackUrl Kakao sent (DESIGN §3/§6):
// https only, an exact allow-listed host, no redirects, one POST, 50 s at
// most. The URL is a bearer capability: it never appears in errors or logs.
type CallbackClient struct {
	hosts  map[string]bool
	client *http.Client
	// AllowHTTP permits http:// (tests against a loopback recorder only).
	AllowHTTP bool
}

// NewCallbackClient allows exactly the given hosts (e.g. "bot-api.kakao.com").
func NewCallbackClient(hosts []string) *CallbackClient {
	c := &CallbackClient{hosts: map[string]bool{}}
	for _, h := range hosts {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			c.hosts[h] = true
		}
	}
	c.client = &http.Client{
		Timeout: 50 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse // never follow: a redirect is an answer, not a hop
		},
	}
	return c
}

// Allowed reports whether raw is a callback URL Baton may call.
func (c *CallbackClient) Allowed(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.User != nil || u.Host == "" {
		return false
	}
	if u.Scheme != "https" && !(c.AllowHTTP && u.Scheme == "http") {
		return false
	}
	return c.hosts[strings.ToLower(u.Host)]
}

// Post sends body to the callback URL once. It returns ErrCallbackURL without
// any request when the URL is not allowed, an error (without the URL) when
// Kakao does not answer 2xx, and one wrapping ErrCallbackRefused when a 2xx
// answer's status is not SUCCESS (e.g. an expired token).
func (c *CallbackClient) Post(ctx context.Context, callbackURL string, body []byte) error {
	if !c.Allowed(callbackURL) {
		return ErrCallbackURL
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, callbackURL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("handoff: callback: build request: %w", ErrCallbackURL)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // drop the URL from the message
		}
		return fmt.Errorf("handoff: callback: %w", err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("handoff: callback: status %d", resp.StatusCode)
	}
	return callbackRefusal(answer)
}
