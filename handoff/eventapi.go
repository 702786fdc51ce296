package handoff

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// MaxEventUsers is the most distinct users one Event API call may name
// (spec §6).
const MaxEventUsers = 100

// EventParam is the userRequest.params key that carries the Baton id of an
// Event API message (the send id) into the event block's skill turn. It is
// the only thing Baton puts in params.
const EventParam = "baton_id"

// Errors of EventAPIClient.Talk, for the deliverer to decide what happened to
// the money and the messages.
var (
	// ErrEventNotSent: no request reached Kakao (the connection could not
	// be made, or its TLS handshake failed: the request was never written).
	// Nothing was billed; the messages may be tried again.
	ErrEventNotSent = errors.New("handoff: event api: not sent")
	// ErrEventRefused: Kakao answered and did not accept the call.
	ErrEventRefused = errors.New("handoff: event api: refused")
	// ErrEventUnknown: the request may have reached Kakao but no answer came
	// back. Whether it was accepted cannot be known; never resend.
	ErrEventUnknown = errors.New("handoff: event api: outcome unknown")
)

// EventAPIClient calls Kakao's Event API (spec §6): POST
// {base}/v2/bots/{botId}/talk and GET {base}/v1/tasks/{taskId}, both with
// Authorization: KakaoAK <REST API key>. The key never appears in errors.
type EventAPIClient struct {
	base   string
	auth   string
	client *http.Client
}

// NewEventAPIClient returns a client for baseURL (https://bot-api.kakao.com)
// with the Kakao Developers REST API key.
func NewEventAPIClient(baseURL, restAPIKey string) *EventAPIClient {
	return &EventAPIClient{
		base: strings.TrimRight(baseURL, "/"),
		auth: "KakaoAK " + restAPIKey,
		client: &http.Client{
			Timeout: 15 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
		},
	}
}

// EventUser is one recipient of an Event API call.
type EventUser struct {
	Type string `json:"type"` // botUserKey
	ID   string `json:"id"`
}

// EventName is the event of an Event API call: the event name set on the
// block in 챗봇 관리자센터.
type EventName struct {
	Name string `json:"name"`
}

// EventRequest is the body of POST /v2/bots/{botId}/talk.
type EventRequest struct {
	Event  EventName         `json:"event"`
	User   []EventUser       `json:"user"`
	Params map[string]string `json:"params,omitempty"`
}

type talkResponse struct {
	TaskID string `json:"taskId"`
	Status string `json:"status"`
}

// Talk sends req for the bot botID (as the users' payloads carried it, "!"
// included) and returns Kakao's task id. SUCCESS means accepted, not
// delivered: TaskStatus says how many were. Errors wrap ErrEventNotSent,
// ErrEventRefused or ErrEventUnknown.
func (c *EventAPIClient) Talk(ctx context.Context, botID string, req EventRequest) (string, error) {
	if len(req.User) == 0 || len(req.User) > MaxEventUsers {
		return "", fmt.Errorf("handoff: event api: %d users in one call (1..%d): %w", len(req.User), MaxEventUsers, ErrEventNotSent)
	}
	body, err := json.Marshal(req)
	if err != nil {
		return "", fmt.Errorf("handoff: event api: encode: %w (%w)", err, ErrEventNotSent)
	}
	// A development channel's bot id ends in "!", sent as is (a sub-delim,
	// valid in a path segment; RFC 3986 does not make "%21" its equal).
	u := c.base + "/v2/bots/" + strings.ReplaceAll(url.PathEscape(botID), "%21", "!") + "/talk"
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("handoff: event api: build request: %w (%w)", err, ErrEventNotSent)
	}
	hreq.Header.Set("Authorization", c.auth)
	hreq.Header.Set("Content-Type", "application/json")
	// Whether the request was written on a connection: until then (a dial,
	// a TLS handshake that failed or timed out) nothing reached Kakao.
	var wrote atomic.Bool
	hreq = hreq.WithContext(httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(httptrace.WroteRequestInfo) { wrote.Store(true) },
	}))
	resp, err := c.client.Do(hreq)
	if err != nil {
		return "", classifyTransport(err, wrote.Load())
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return "", fmt.Errorf("handoff: event api: %w: %w", &statusError{resp.StatusCode}, ErrEventRefused)
	}
	var tr talkResponse
	if err := json.Unmarshal(raw, &tr); err != nil {
		return "", fmt.Errorf("handoff: event api: decode answer: %w (%w)", err, ErrEventUnknown)
	}
	if tr.Status != "SUCCESS" || tr.TaskID == "" {
		return "", fmt.Errorf("handoff: event api: answer status %q: %w", tr.Status, ErrEventRefused)
	}
	return tr.TaskID, nil
}

// Retryable reports whether a refused call may be tried again later (Kakao
// asked to slow down or failed on its side).
func Retryable(err error) bool {
	if errors.Is(err, ErrEventNotSent) {
		return true
	}
	var se *statusError
	return errors.As(err, &se) && (se.code == http.StatusTooManyRequests || se.code >= 500)
}

type statusError struct{ code int }

func (e *statusError) Error() string { return "status " + strconv.Itoa(e.code) }

// classifyTransport maps a transport error to not-sent (the connection was
// never made, or the request never written on it: wrote false) or unknown
// (it may have reached Kakao), without the URL.
func classifyTransport(err error, wrote bool) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var oe *net.OpError
	if !wrote || (errors.As(err, &oe) && oe.Op == "dial") {
		return fmt.Errorf("handoff: event api: %v: %w", err, ErrEventNotSent)
	}
	return fmt.Errorf("handoff: event api: %v: %w", err, ErrEventUnknown)
}

// TaskStatus is GET /v1/tasks/{taskId} (spec §6, from the group-bot guide;
// fields beyond status are optional in what Baton accepts).
type TaskStatus struct {
	TaskID          string    `json:"taskId"`
	Status          string    `json:"status"` // "ALL SUCCESS" | "<N> FAIL" | other (not final)
	AllRequestCount *int      `json:"allRequestCount"`
	SuccessCount    *int      `json:"successCount"`
	Fail            *TaskFail `json:"fail"`
}

// TaskFail lists the users a task could not reach.
type TaskFail struct {
	Count int            `json:"count"`
	List  []TaskFailUser `json:"list"`
}

// TaskFailUser is one user a task could not reach.
type TaskFailUser struct {
	UserID   string `json:"userId"`
	ErrorMsg struct {
		ErrorType int `json:"errorType"`
	} `json:"errorMsg"`
}

var nFail = regexp.MustCompile(`^(\d+) FAIL$`)

// Final reports whether the task is done and, then, how many of users
// messages succeeded. Only "ALL SUCCESS", "<N> FAIL" or counts that add up
// are final; anything else (a status Baton does not know) means poll again.
func (t TaskStatus) Final(users int) (final bool, success int) {
	failed := 0
	if t.Fail != nil {
		failed = t.Fail.Count
	}
	switch {
	case t.Status == "ALL SUCCESS":
		if t.SuccessCount != nil {
			return true, *t.SuccessCount
		}
		return true, users
	case nFail.MatchString(t.Status):
		n, _ := strconv.Atoi(nFail.FindStringSubmatch(t.Status)[1])
		if t.SuccessCount != nil {
			return true, *t.SuccessCount
		}
		if t.AllRequestCount != nil {
			users = *t.AllRequestCount
		}
		return true, max(0, users-n)
	case t.AllRequestCount != nil && t.SuccessCount != nil && *t.SuccessCount+failed >= *t.AllRequestCount:
		return true, *t.SuccessCount
	}
	return false, 0
}

// TaskStatus reads the status of task id.
func (c *EventAPIClient) TaskStatus(ctx context.Context, id string) (TaskStatus, error) {
	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/v1/tasks/"+url.PathEscape(id), nil)
	if err != nil {
		return TaskStatus{}, fmt.Errorf("handoff: event api task: build request: %w", err)
	}
	hreq.Header.Set("Authorization", c.auth)
	resp, err := c.client.Do(hreq)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return TaskStatus{}, fmt.Errorf("handoff: event api task: %w", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode/100 != 2 {
		return TaskStatus{}, fmt.Errorf("handoff: event api task: %w", &statusError{resp.StatusCode})
	}
	var ts TaskStatus
	if err := json.Unmarshal(raw, &ts); err != nil {
		return TaskStatus{}, fmt.Errorf("handoff: event api task: decode: %w", err)
	}
	return ts, nil
}
