package handoff

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// ClosedNotice is what a notify sink tells agents when a handoff it
// announced is over: the handoff as ended (EndedAt, EndReason, and
// AcceptedAt when someone took it).
type ClosedNotice struct {
	Handoff store.Handoff
}

// ClosedSink is a Sink that can also say that a handoff it announced is
// over (handoff.closed). WebhookSink and SlackSink implement it; the router
// tells only those whose SendsClosed is true, and only about handoffs they
// were told about.
type ClosedSink interface {
	Sink
	// SendsClosed reports whether the config turned handoff.closed on for
	// this sink (configs.Notify.ClosedOn).
	SendsClosed() bool
	// NotifyClosed sends n once. It returns an error when the receiver did
	// not answer 2xx (the router retries; receivers dedupe by
	// Idempotency-Key, ClosedKey of the handoff).
	NotifyClosed(ctx context.Context, n ClosedNotice) error
}

// ClosedKey is the Idempotency-Key of the handoff.closed message of handoff
// id: never the request's own key (the handoff id), so a receiver that
// dedupes by key keeps both.
func ClosedKey(id string) string { return id + ":closed" }

// closedTarget is the delivery record of the handoff.closed message to sink.
func closedTarget(sink string) string { return sink + store.ClosedSuffix }

// attemptTarget is the delivery record written before the request's first
// POST to sink, when sink sends handoff.closed (Router.markAttempt).
func attemptTarget(sink string) string { return sink + store.AttemptSuffix }

// closedWebhookBody is the JSON a WebhookSink sends when a handoff is over
// (version 1).
type closedWebhookBody struct {
	Version   int    `json:"version"`
	Type      string `json:"type"` // "handoff.closed"
	ID        string `json:"id"`
	Code      string `json:"code"`
	Queue     string `json:"queue"`
	Target    string `json:"target"`
	EndReason string `json:"end_reason"`
	EndedAt   string `json:"ended_at"`
	Accepted  bool   `json:"accepted"`
	// AcceptedAt is absent when nobody accepted the handoff.
	AcceptedAt string `json:"accepted_at,omitempty"`
	Test       bool   `json:"test"`
}

// SendsClosed implements ClosedSink.
func (s *WebhookSink) SendsClosed() bool { return s.Closed }

// ClosedBody returns the JSON body s sends for n.
//
// Wire: {"version":1, "type":"handoff.closed", "id", "code", "queue",
// "target", "end_reason" (the store's), "ended_at" (RFC 3339 UTC),
// "accepted", "accepted_at" (absent unless accepted), "test"}. It carries
// no user key, turn or intake answer, for any sink: the id ties it to the
// handoff.requested that had them.
func (s *WebhookSink) ClosedBody(n ClosedNotice) ([]byte, error) {
	h := n.Handoff
	b := closedWebhookBody{Version: 1, Type: "handoff.closed", ID: h.ID, Code: h.Code, Queue: h.Queue,
		Target: h.Target, EndReason: h.EndReason, EndedAt: h.EndedAt.UTC().Format(time.RFC3339),
		Accepted: !h.AcceptedAt.IsZero(), Test: h.Test}
	if b.Accepted {
		b.AcceptedAt = h.AcceptedAt.UTC().Format(time.RFC3339)
	}
	out, err := json.Marshal(b)
	if err != nil {
		return nil, fmt.Errorf("handoff: webhook closed body for %s: %w", h.ID, err)
	}
	return out, nil
}

// NotifyClosed implements ClosedSink: one signed POST (X-Baton-Signature as
// for the request) with Idempotency-Key = ClosedKey(handoff id).
func (s *WebhookSink) NotifyClosed(ctx context.Context, n ClosedNotice) error {
	body, err := s.ClosedBody(n)
	if err != nil {
		return err
	}
	return s.postSigned(ctx, body, ClosedKey(n.Handoff.ID))
}

// SendsClosed implements ClosedSink.
func (s *SlackSink) SendsClosed() bool { return s.Closed }

// slackClosedReason is the text saying why h ended, by its end reason.
func slackClosedReason(h store.Handoff, x configs.Texts) string {
	switch r := h.EndReason; {
	case r == "user_cancel":
		return x.SlackClosedCancelled
	case r == "wait_timeout", r == fsm.ReasonWaitTimeoutTicket:
		return x.SlackClosedWaitTimeout
	case r == "not_connected":
		return x.SlackClosedNotConnected
	case r == "returned_via_kakao":
		return x.SlackClosedReturned
	case r == "superseded":
		return x.SlackClosedSuperseded
	case r == ReasonIdle:
		return x.SlackClosedIdle
	case r == LinkReason, r == AdminReason, r == ReasonTicketClosed, r == "ended", r == "ended:agent", r == "ended:system":
		return x.SlackClosedEnded
	}
	return x.SlackClosedOther
}

// ClosedBody returns the JSON body s sends for n: one line, a new message
// (an incoming webhook cannot edit the request's), such as "[상담 종료] 큐
// general · 상담번호 B3Q9: 고객이 취소했어요", with texts.slack_closed_accepted
// when an agent had accepted it and texts.slack_test for test traffic.
func (s *SlackSink) ClosedBody(n ClosedNotice) ([]byte, error) {
	h, x := n.Handoff, s.texts()
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s %s %s · %s %s: %s", x.SlackClosed, x.SlackQueue, h.Queue, x.SlackHandoffCode, h.Code,
		slackEscape.Replace(slackClosedReason(h, x)))
	if !h.AcceptedAt.IsZero() {
		sb.WriteString(" " + slackEscape.Replace(x.SlackClosedAccepted))
	}
	if h.Test {
		sb.WriteString(" " + x.SlackTest)
	}
	out, err := json.Marshal(slackBody{Text: sb.String()})
	if err != nil {
		return nil, fmt.Errorf("handoff: slack closed body for %s: %w", h.ID, err)
	}
	return out, nil
}

// NotifyClosed implements ClosedSink.
func (s *SlackSink) NotifyClosed(ctx context.Context, n ClosedNotice) error {
	body, err := s.ClosedBody(n)
	if err != nil {
		return err
	}
	return post(ctx, s.Client, s.URL, body, ClosedKey(n.Handoff.ID), http.Header{})
}
