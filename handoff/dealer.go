package handoff

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// ErrDealerFailed is wrapped by a DealerClient error when the dealer refused
// the call for good (a 4xx other than 408, 409 and 429, or a request Baton
// cannot build). Trying again will not help: fall back to notify sinks and
// a ticket (reason dealer_failed).
var ErrDealerFailed = errors.New("handoff: dealer failed")

// ErrDealerUnavailable is wrapped by a DealerClient error when every attempt
// of one call timed out, could not connect or got 5xx/408/429. The caller
// retries later (the router redelivers) and falls back after its own limit.
var ErrDealerUnavailable = errors.New("handoff: dealer unavailable")

// ErrLocal is wrapped by an error that is Baton's own, not the dealer's:
// from a DealerTarget, its store could not read what the request carries
// (the app user id of a pii dealer), so nothing was posted; from the
// router, the store refused the record of the dealer's 2xx. The router
// retries such a delivery later (it is Nak'd with the retry delay) and
// never counts it against the dealer: it starts no failover clock, fails
// nothing over to the notify sinks and opens no dealer_failed ticket.
var ErrLocal = errors.New("store error, not the dealer's failure")

// DealerError is the error of a DealerClient call that did not succeed.
type DealerError struct {
	Dealer   string // dealer name
	Op       string // "request" or "cancel"
	Handoff  string // handoff id
	Status   int    // last HTTP status, 0 when none was received
	Attempts int    // attempts made
	Final    bool   // the dealer refused for good (ErrDealerFailed)
	Err      error  // last transport error, if any
}

// Error implements error.
func (e *DealerError) Error() string {
	kind := "unavailable"
	if e.Final {
		kind = "failed"
	}
	s := fmt.Sprintf("handoff: dealer %s %s %s %s after %d attempt(s)", e.Dealer, e.Op, e.Handoff, kind, e.Attempts)
	if e.Status != 0 {
		s += ": status " + strconv.Itoa(e.Status)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Is makes errors.Is match ErrDealerFailed or ErrDealerUnavailable.
func (e *DealerError) Is(target error) bool {
	return (e.Final && target == ErrDealerFailed) || (!e.Final && target == ErrDealerUnavailable)
}

// Unwrap returns the last transport error.
func (e *DealerError) Unwrap() error { return e.Err }

// Users loads a user; *store.DB satisfies it. DealerClient reads the app user
// id through it, only for dealers configured pii: true.
type Users interface {
	Load(ctx context.Context, userKey string) (store.User, fsm.Conversation, bool, error)
}

// Defaults of DealerClient.
const (
	DefaultDealerAttempts       = 3
	DefaultDealerBackoff        = 500 * time.Millisecond
	DefaultDealerAttemptTimeout = 4 * time.Second
	DefaultDealerBudget         = 10 * time.Second
)

// DealerClient is the outbound half of the dealer contract v1: it signs and
// posts handoff requests and cancels to one dealer, retrying transient
// failures within a bounded time. It implements DealerTarget and is safe for
// concurrent use once configured. Request returns nil on 2xx or 409, an
// error wrapping ErrDealerFailed on a final refusal, and one wrapping
// ErrDealerUnavailable when the attempts or the budget ran out.
type DealerClient struct {
	name string
	// base is the configured url, parsed once; the paths of the calls are
	// joined to its path, and its query (a function key, a tenant) is kept
	// on every call. baseErr is why the url could not be used (every call
	// then fails for good without posting).
	base    *url.URL
	baseErr error
	secret  []byte
	pii     bool
	botName string
	users   Users

	// HTTP sends the requests; default a client without redirects.
	HTTP *http.Client
	// Attempts per call (default 3), with Backoff before the second attempt,
	// doubling after (default 500 ms). A Retry-After (delay in seconds or
	// HTTP-date, RFC 9110 §10.2.3) on any answer that is retried (408, 429,
	// 5xx, 3xx) replaces the backoff when it fits the budget; when it does
	// not, the call ends there and the router retries later.
	Attempts int
	Backoff  time.Duration
	// AttemptTimeout bounds one attempt (default 4 s); Budget bounds a whole
	// call, backoff included (default 10 s).
	AttemptTimeout time.Duration
	Budget         time.Duration
	// Now is the clock used for signatures (default time.Now).
	Now func() time.Time
}

// NewDealerClient returns the client of dealer name configured by d; botName
// is sent as bot.name. users is read only when d.PII is set (it may be nil
// otherwise).
func NewDealerClient(name string, d configs.Dealer, botName string, users Users) *DealerClient {
	base, baseErr := parseDealerURL(d.URL)
	return &DealerClient{
		name: name, base: base, baseErr: baseErr, secret: []byte(d.Secret), pii: d.PII,
		botName: botName, users: users,
		HTTP: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}},
		Attempts: DefaultDealerAttempts, Backoff: DefaultDealerBackoff,
		AttemptTimeout: DefaultDealerAttemptTimeout, Budget: DefaultDealerBudget, Now: time.Now,
	}
}

// parseDealerURL parses a dealer's configured url, the base of its calls.
// The error never quotes the url: it may carry a token (url.Parse's own
// error would).
func parseDealerURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return nil, errors.New("dealer url is not an absolute http(s) URL")
	}
	if u.Path == "" {
		u.Path, u.RawPath = "/", "" // JoinPath would make "handoffs" relative
	}
	u.Fragment, u.RawFragment = "", "" // never sent
	return u, nil
}

// endpoint is the URL of a call: the configured url with elem (path
// segments, already escaped) joined to its path, its query kept
// ("https://x/api/baton?code=KEY" → "https://x/api/baton/handoffs?code=KEY").
func (d *DealerClient) endpoint(elem ...string) string {
	if d.base == nil {
		return ""
	}
	return d.base.JoinPath(elem...).String()
}

// CancelKey is the Idempotency-Key of the cancel of handoff id: not the
// request's own key (the handoff id), or a dealer that deduplicates on the
// key would take the cancel for a repeat of the request, answer 409 and
// never run it (docs/dealer-contract.md §2.2).
func CancelKey(id string) string { return id + ":cancel" }

// Name returns the dealer's name as configured.
func (d *DealerClient) Name() string { return d.name }

// dealerRequest is the body of POST {url}/handoffs. Field order is the wire
// order of DESIGN §6.
type dealerRequest struct {
	Version   int         `json:"version"`
	ID        string      `json:"id"`
	Code      string      `json:"code"`
	Queue     string      `json:"queue"`
	Reason    string      `json:"reason"`
	CreatedAt string      `json:"created_at"`
	Test      bool        `json:"test"`
	User      dealerUser  `json:"user"`
	Bot       dealerBot   `json:"bot"`
	Context   contextWire `json:"context"`
}

type dealerUser struct {
	BotUserKey        string `json:"bot_user_key"`
	PlusfriendUserKey string `json:"plusfriend_user_key"`
	AppUserID         string `json:"app_user_id,omitempty"`
}

type dealerBot struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// dealerCancel is the body of POST {url}/handoffs/{id}/cancel.
type dealerCancel struct {
	Version int    `json:"version"`
	ID      string `json:"id"`
	Code    string `json:"code"`
	Reason  string `json:"reason"`
	At      string `json:"at"`
}

// rfc3339 formats t in UTC to the second, as the contract's times are.
func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// RequestBody returns the exact JSON Request sends for h and c. It returns
// an error wrapping ErrLocal when the app user id cannot be read (pii
// dealers only).
func (d *DealerClient) RequestBody(ctx context.Context, h store.Handoff, c Context) ([]byte, error) {
	r := dealerRequest{
		Version: 1, ID: h.ID, Code: h.Code, Queue: h.Queue, Reason: h.Reason,
		CreatedAt: rfc3339(h.CreatedAt), Test: h.Test,
		User: dealerUser{BotUserKey: h.UserKey, PlusfriendUserKey: h.PlusfriendKey},
		Bot:  dealerBot{ID: h.BotID, Name: d.botName},
	}
	if c.MenuPath == nil {
		c.MenuPath = h.MenuPath
	}
	if c.FAQMisses == 0 {
		c.FAQMisses = h.FAQMisses
	}
	if c.ContactPref == "" {
		c.ContactPref = h.ContactPref
	}
	r.Context = c.wire(true) // the dealer is who the user asked for: it gets the conversation
	if d.pii && d.users != nil {
		u, _, found, err := d.users.Load(ctx, h.UserKey)
		if err != nil {
			return nil, fmt.Errorf("handoff: dealer %s request %s: %w: %w", d.name, h.ID, ErrLocal, err)
		}
		if found {
			r.User.AppUserID = u.AppUserID
		}
	}
	b, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("handoff: dealer %s request %s: %w", d.name, h.ID, err)
	}
	return b, nil
}

// Request implements DealerTarget. A store error reading the user (pii
// dealers) wraps ErrLocal: nothing was posted.
func (d *DealerClient) Request(ctx context.Context, h store.Handoff, c Context) error {
	body, err := d.RequestBody(ctx, h, c)
	if err != nil {
		return err
	}
	return d.post(ctx, "request", h.ID, h.ID, d.endpoint("handoffs"), body)
}

// Cancel implements DealerTarget. The body is {"version":1, "id", "code",
// "reason" (the handoff's end reason, "cancel" when empty), "at"}; its
// Idempotency-Key is CancelKey(h.ID).
func (d *DealerClient) Cancel(ctx context.Context, h store.Handoff) error {
	reason := h.EndReason
	if reason == "" {
		reason = fsm.EventCancel
	}
	at := h.EndedAt
	if at.IsZero() {
		at = d.Now()
	}
	body, err := json.Marshal(dealerCancel{Version: 1, ID: h.ID, Code: h.Code, Reason: reason, At: rfc3339(at)})
	if err != nil {
		return fmt.Errorf("handoff: dealer %s cancel %s: %w", d.name, h.ID, err)
	}
	return d.post(ctx, "cancel", h.ID, CancelKey(h.ID), d.endpoint("handoffs", url.PathEscape(h.ID), "cancel"), body)
}

// post sends body to u with Idempotency-Key key until a 2xx or 409, a final
// refusal, or the budget or attempts run out. id is the handoff's, for the
// error.
func (d *DealerClient) post(ctx context.Context, op, id, key, u string, body []byte) error {
	derr := &DealerError{Dealer: d.name, Op: op, Handoff: id}
	if d.baseErr != nil {
		derr.Final, derr.Err = true, d.baseErr // a request Baton cannot build
		return derr
	}
	ctx, cancel := context.WithTimeout(ctx, d.Budget)
	defer cancel()
	wait, attempts := d.Backoff, max(d.Attempts, 1)
	for attempt := 1; attempt <= attempts; attempt++ {
		derr.Attempts = attempt
		status, retryAfter, err := d.attempt(ctx, u, key, body)
		derr.Status, derr.Err = status, err
		switch {
		case err == nil && (status/100 == 2 || status == http.StatusConflict):
			return nil
		case err == nil && status/100 == 4 && status != http.StatusRequestTimeout && status != http.StatusTooManyRequests:
			derr.Final = true
			return derr
		}
		if attempt == attempts || ctx.Err() != nil {
			break
		}
		pause := wait
		if retryAfter > 0 {
			pause = retryAfter
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < pause {
			break
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return derr
		case <-t.C:
		}
		wait *= 2
	}
	return derr
}

// attempt makes one signed POST with Idempotency-Key key and returns the
// status and the Retry-After delay (0 when absent, unreadable or past).
func (d *DealerClient) attempt(ctx context.Context, u, key string, body []byte) (int, time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, d.AttemptTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	req.Header.Set(SignatureHeader, Sign(d.secret, d.Now(), body))
	resp, err := d.HTTP.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // drop the URL from the message: it may carry a token
		}
		return 0, 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, retryAfter(resp.Header.Get("Retry-After")), nil
}

// maxRetryAfter bounds a Retry-After: any longer pause is past every
// budget (post ends the call there), and a huge delay-seconds must not
// overflow a time.Duration into a short or negative one.
const maxRetryAfter = 24 * time.Hour

// retryAfter reads a Retry-After value, delay-seconds or an HTTP-date
// (RFC 9110 §10.2.3), as the pause it asks for: 0 when v is empty,
// unreadable, zero or a date not in the future; at most maxRetryAfter.
func retryAfter(v string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseUint(v, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		if err != nil || s > uint64(maxRetryAfter/time.Second) {
			return maxRetryAfter // all digits, too many for a uint64 or a Duration
		}
		return time.Duration(s) * time.Second
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	return min(max(time.Until(t), 0), maxRetryAfter)
}
