package handoff

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/store"
)

// Notify sink kinds (configs.Notify.Kind).
const (
	SinkWebhook = "webhook"
	SinkSlack   = "slack"
)

// HeaderIdempotency carries the handoff id on every notification POST, so a
// receiver can drop a repeat (the router POSTs at least once).
const HeaderIdempotency = "Idempotency-Key"

// DefaultSinkTimeout bounds one notification POST: a receiver that has not
// answered by then failed that attempt (docs/notify-webhook.md §1.3).
const DefaultSinkTimeout = 4 * time.Second

// Notification is what a notify sink tells agents about a new handoff.
type Notification struct {
	Handoff store.Handoff
	Context Context
	// AcceptURL and EndURL are the signed links (/a/{token}: a GET shows
	// the page, its button POSTs).
	AcceptURL, EndURL string
}

// Sink tells agents about handoffs. Implementations must be safe for
// concurrent use.
type Sink interface {
	// Name identifies the sink in logs and in the deliveries table:
	// SinkName of its config entry, the same whatever the entry's place
	// in the notify list.
	Name() string
	// Notify sends n once. It returns an error when the receiver did not
	// answer 2xx (the router retries; receivers dedupe by Idempotency-Key).
	Notify(ctx context.Context, n Notification) error
}

// NewSinks builds the configured notify sinks, skipping (and logging once)
// those with an empty URL or an unknown kind. client may be nil:
// SinkClient(DefaultSinkTimeout).
func NewSinks(cfg []configs.Notify, client *http.Client, logger *slog.Logger) []Sink {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if client == nil {
		client = SinkClient(DefaultSinkTimeout)
	}
	var sinks []Sink
	for _, n := range cfg {
		name := SinkName(n)
		switch {
		case n.URL == "":
			logger.Info("notify sink disabled: empty url", "sink", name)
		case n.Kind == SinkWebhook:
			sinks = append(sinks, &WebhookSink{name: name, URL: n.URL, Secret: n.Secret, PII: n.PII, Closed: n.ClosedOn(), Client: client})
		case n.Kind == SinkSlack:
			sinks = append(sinks, &SlackSink{name: name, URL: n.URL, Closed: n.ClosedOn(), Client: client})
		default:
			logger.Warn("notify sink disabled: unknown kind", "sink", name, "kind", n.Kind)
		}
	}
	return sinks
}

// SinkName is the name of the sink n builds: "notify:" and its SinkID (the
// config's id, or one derived from its kind and url). It keys the sink's
// delivery records, so it must not depend on where n is in the notify list.
func SinkName(n configs.Notify) string { return "notify:" + n.SinkID() }

// LegacySinkNames maps the names the sinks of cfg had before they had ids
// ("notify:<place in the list>:<kind>") to their SinkName, and the targets
// of their handoff.closed records likewise, for the sinks NewSinks enables:
// store.AdoptSinkNames renames the delivery records an older baton wrote
// under the old names, once, with the config the upgrade starts with.
func LegacySinkNames(cfg []configs.Notify) map[string]string {
	out := map[string]string{}
	for i, n := range cfg {
		if n.URL != "" && (n.Kind == SinkWebhook || n.Kind == SinkSlack) {
			old := fmt.Sprintf("notify:%d:%s", i, n.Kind)
			out[old], out[closedTarget(old)] = SinkName(n), closedTarget(SinkName(n))
		}
	}
	return out
}

// SinkClient returns the notify sinks' HTTP client: it gives up on a
// receiver that has not answered within timeout (at most
// DefaultSinkTimeout, which every POST is bounded by) and never follows a
// redirect (a 3xx is a failed attempt).
func SinkClient(timeout time.Duration) *http.Client {
	return &http.Client{Timeout: timeout, CheckRedirect: noRedirects}
}

func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// WebhookSink POSTs a signed JSON notification (first-party receivers).
//
// Wire: POST {url} with Content-Type application/json, X-Baton-Signature
// ("t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + raw body)>", as the dealer
// contract v1) and Idempotency-Key: <handoff id>. Body: {"version":1,
// "type":"handoff.requested", "id", "code", "queue", "target", "reason",
// "created_at" (RFC 3339 UTC), "test", "user": {"bot_user_key",
// "plusfriend_user_key"} (pii only), "bot": {"id"}, "context": {"menu_path",
// "faq_misses", "turns": [{"at","from","text"}] (pii only, masked), "intake"
// (pii only), "contact_preference" ("sms" or "chat"; absent when none)},
// "links": {"accept", "end"}}. Any 2xx is success.
//
// Delivery is at least once: the router records a success and does not POST
// again, but a crash between the POST and that record repeats the POST with
// the same Idempotency-Key, so a receiver that drops repeated keys sees each
// handoff exactly once.
type WebhookSink struct {
	URL    string
	Secret string
	PII    bool
	// Closed sends handoff.closed (notify_closed.go) for the handoffs this
	// sink was told about (configs.Notify.ClosedOn).
	Closed bool
	Client *http.Client
	// Now is the signing clock; default time.Now.
	Now func() time.Time

	name string
}

// Name implements Sink.
func (s *WebhookSink) Name() string { return s.name }

// webhookBody is the JSON a WebhookSink sends (version 1).
type webhookBody struct {
	Version   int          `json:"version"`
	Type      string       `json:"type"`
	ID        string       `json:"id"`
	Code      string       `json:"code"`
	Queue     string       `json:"queue"`
	Target    string       `json:"target"`
	Reason    string       `json:"reason"`
	CreatedAt string       `json:"created_at"`
	Test      bool         `json:"test"`
	User      *webhookUser `json:"user,omitempty"`
	Bot       webhookBot   `json:"bot"`
	Context   contextWire  `json:"context"`
	Links     webhookLinks `json:"links"`
}

type webhookUser struct {
	BotUserKey        string `json:"bot_user_key"`
	PlusfriendUserKey string `json:"plusfriend_user_key"`
}

type webhookBot struct {
	ID string `json:"id"`
}

type webhookLinks struct {
	Accept string `json:"accept"`
	End    string `json:"end"`
}

// Body returns the JSON body s sends for n.
func (s *WebhookSink) Body(n Notification) ([]byte, error) {
	h := n.Handoff
	b := webhookBody{
		Version: 1, Type: "handoff.requested", ID: h.ID, Code: h.Code, Queue: h.Queue, Target: h.Target,
		Reason: h.Reason, CreatedAt: h.CreatedAt.UTC().Format(time.RFC3339), Test: h.Test,
		Bot:     webhookBot{ID: h.BotID},
		Context: n.Context.wire(s.PII),
		Links:   webhookLinks{Accept: n.AcceptURL, End: n.EndURL},
	}
	if s.PII {
		b.User = &webhookUser{BotUserKey: h.UserKey, PlusfriendUserKey: h.PlusfriendKey}
	}
	out, err := json.Marshal(b)
	if err != nil {
		return nil, fmt.Errorf("handoff: webhook body for %s: %w", h.ID, err)
	}
	return out, nil
}

// Notify implements Sink: one signed POST with Idempotency-Key = handoff id.
func (s *WebhookSink) Notify(ctx context.Context, n Notification) error {
	body, err := s.Body(n)
	if err != nil {
		return err
	}
	return s.postSigned(ctx, body, n.Handoff.ID)
}

// postSigned POSTs body with X-Baton-Signature and Idempotency-Key = key.
func (s *WebhookSink) postSigned(ctx context.Context, body []byte, key string) error {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	hdr := http.Header{}
	hdr.Set(SignatureHeader, Sign([]byte(s.Secret), now(), body))
	return post(ctx, s.Client, s.URL, body, key, hdr)
}

// SlackSink POSTs a Slack-style {"text": ...} message. It goes to an overseas
// service, so it carries only the queue, the handoff code, the intake
// fields not marked pii and the links — never a user key, transcript or
// contact.
type SlackSink struct {
	URL string
	// Closed sends handoff.closed (notify_closed.go) for the handoffs this
	// sink was told about (configs.Notify.ClosedOn).
	Closed bool
	Client *http.Client
	// Texts returns the config's texts (the ticket prefixes,
	// texts.slack_ticket_*, and the message labels, texts.slack_*), read
	// for each message so that a reload applies; nil means
	// configs.DefaultTexts. SetSinkTexts sets it.
	Texts func() configs.Texts

	name string
}

// Name implements Sink.
func (s *SlackSink) Name() string { return s.name }

// slackBody is a Slack incoming-webhook message. Unfurling is off: a link
// preview fetching the accept URL would accept the handoff.
type slackBody struct {
	Text        string `json:"text"`
	UnfurlLinks bool   `json:"unfurl_links"`
	UnfurlMedia bool   `json:"unfurl_media"`
}

// Body returns the JSON body s sends for n.
func (s *SlackSink) Body(n Notification) ([]byte, error) {
	h, x := n.Handoff, s.texts()
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s %s %s · %s %s", x.SlackHandoff, x.SlackQueue, h.Queue, x.SlackHandoffCode, h.Code)
	if h.Test {
		sb.WriteString(" " + x.SlackTest)
	}
	slackIntake(&sb, n.Context, x)
	fmt.Fprintf(&sb, "\n%s: <%s|%s>\n%s: <%s|%s>", x.SlackAccept, n.AcceptURL, slackEscape.Replace(x.SlackAcceptLink),
		x.SlackEnd, n.EndURL, slackEscape.Replace(x.SlackEndLink))
	out, err := json.Marshal(slackBody{Text: sb.String()})
	if err != nil {
		return nil, fmt.Errorf("handoff: slack body for %s: %w", h.ID, err)
	}
	return out, nil
}

// Notify implements Sink.
func (s *SlackSink) Notify(ctx context.Context, n Notification) error {
	body, err := s.Body(n)
	if err != nil {
		return err
	}
	return post(ctx, s.Client, s.URL, body, n.Handoff.ID, http.Header{})
}

// post sends one JSON POST and returns an error unless the answer is 2xx.
// The URL is never logged (it may hold a secret path).
func post(ctx context.Context, client *http.Client, url string, body []byte, idemKey string, hdr http.Header) error {
	ctx, cancel := context.WithTimeout(ctx, DefaultSinkTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return refused{fmt.Errorf("handoff: notify %s: bad url", idemKey)}
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(HeaderIdempotency, idemKey)
	resp, err := client.Do(req)
	if err != nil {
		err = fmt.Errorf("handoff: notify %s: %w", idemKey, redactURL(err))
		if opErr := (*net.OpError)(nil); errors.As(err, &opErr) && opErr.Op == "dial" {
			return refused{err} // never connected: the receiver saw nothing
		}
		return err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return refused{fmt.Errorf("handoff: notify %s: status %d", idemKey, resp.StatusCode)}
	}
	return nil
}

// refused is a failed POST whose receiver certainly did not take the
// message: it answered with a status other than 2xx (docs/notify-webhook.md
// §1.3), or the connection was never made. Any other failure (no answer in
// time, a connection lost mid-answer) may have reached the receiver.
type refused struct{ error }

func (e refused) Unwrap() error { return e.error }

// wasRefused reports whether err says the receiver certainly did not take
// the message (refused).
func wasRefused(err error) bool { return errors.As(err, new(refused)) }

// redactURL drops the URL from a client error (Slack webhook URLs are secrets).
func redactURL(err error) error {
	if ue, ok := err.(interface{ Unwrap() error }); ok {
		if inner := ue.Unwrap(); inner != nil {
			return inner
		}
	}
	return err
}
