package handoff

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/pii"
	"github.com/baton-chat/baton/store"
	"github.com/rivo/uniseg"
)

// TicketNotice is what a notify sink tells agents about a ticket a user
// left. The ticket's message is already masked; its contact stays encrypted
// in the store (only HasContact is told).
type TicketNotice struct {
	Ticket store.Ticket
}

// TicketSink is a Sink that can also announce tickets. WebhookSink and
// SlackSink implement it; the router skips sinks that do not.
type TicketSink interface {
	Sink
	// NotifyTicket sends n once. It returns an error when the receiver did
	// not answer 2xx (the router retries; receivers dedupe by
	// Idempotency-Key, the ticket id).
	NotifyTicket(ctx context.Context, n TicketNotice) error
}

// excerptRunes bounds the message excerpt sent to sinks without pii.
const excerptRunes = 60

// excerpt returns s on one line (its white space folded), masked, and cut
// to at most excerptRunes runes with "…" when cut. The folded text is
// masked again (pii.Mask, as slackIntake does): the message was masked as
// typed, and a ticket stored before Mask read a line break between digit
// groups as a separator would otherwise show a number typed over lines
// ("010\n1234\n5678") joined on one line in clear. The cut falls between
// grapheme clusters (as skill.Truncate's), never inside a flag, a
// skin-toned or a ZWJ emoji, whose stray half agents would read as
// another character.
func excerpt(s string) string {
	s = pii.Mask(strings.Join(strings.Fields(s), " "))
	if utf8.RuneCountInString(s) <= excerptRunes {
		return s
	}
	return s[:graphemePrefix(s, excerptRunes)] + "…"
}

// graphemePrefix returns the byte length of the longest prefix of s that
// has at most max runes and ends on a grapheme cluster boundary.
func graphemePrefix(s string, max int) int {
	state, rest, n, end := -1, s, 0, 0
	for len(rest) > 0 {
		var c string
		c, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
		if n += utf8.RuneCountInString(c); n > max {
			break
		}
		end += len(c)
	}
	return end
}

// ticketWebhookBody is the JSON a WebhookSink sends for a ticket (version 1).
type ticketWebhookBody struct {
	Version    int    `json:"version"`
	Type       string `json:"type"` // "ticket.created"
	ID         string `json:"id"`
	Code       string `json:"code"`
	Queue      string `json:"queue"`
	Reason     string `json:"reason"`
	CreatedAt  string `json:"created_at"`
	Message    string `json:"message"` // masked; an excerpt unless pii
	HasContact bool   `json:"has_contact"`
	// ContactPref: "sms" or "chat", absent when the user stated none.
	ContactPref string `json:"contact_preference,omitempty"`
	// Origin: where the user left the message (fsm.TicketOrigin*), absent
	// when unknown.
	Origin string       `json:"origin,omitempty"`
	Test   bool         `json:"test"`
	User   *ticketOwner `json:"user,omitempty"`
}

// ticketOwner is the user of a ticket body, who left the ticket (pii
// only): the bot user key alone, as docs/notify-webhook.md §1.2 shows it (a
// ticket has no channel key of its own).
type ticketOwner struct {
	BotUserKey string `json:"bot_user_key"`
}

// TicketBody returns the JSON body s sends for n.
//
// Wire: {"version":1, "type":"ticket.created", "id", "code", "queue",
// "reason", "created_at" (RFC 3339 UTC), "message" (masked; the first 60
// characters unless pii), "has_contact", "contact_preference" ("sms" or
// "chat"; absent when none), "origin" (where the user left it:
// fsm.TicketOrigin*; absent when unknown), "test", "user":
// {"bot_user_key"} (pii only)}. The contact number itself is never sent:
// agents read it in the admin API.
func (s *WebhookSink) TicketBody(n TicketNotice) ([]byte, error) {
	t := n.Ticket
	b := ticketWebhookBody{Version: 1, Type: "ticket.created", ID: t.ID, Code: t.Code, Queue: t.Queue,
		Reason: t.Reason, CreatedAt: t.CreatedAt.UTC().Format(time.RFC3339), Message: excerpt(t.Message),
		HasContact: t.ContactID != "", ContactPref: t.ContactPref, Origin: t.Origin, Test: t.Test}
	if s.PII {
		b.Message = t.Message
		b.User = &ticketOwner{BotUserKey: t.UserKey}
	}
	out, err := json.Marshal(b)
	if err != nil {
		return nil, fmt.Errorf("handoff: webhook body for ticket %s: %w", t.ID, err)
	}
	return out, nil
}

// NotifyTicket implements TicketSink: one signed POST (X-Baton-Signature as
// for handoffs) with Idempotency-Key = ticket id.
func (s *WebhookSink) NotifyTicket(ctx context.Context, n TicketNotice) error {
	body, err := s.TicketBody(n)
	if err != nil {
		return err
	}
	return s.postSigned(ctx, body, n.Ticket.ID)
}

// slackEscape escapes the characters Slack's mrkdwn treats as markup.
var slackEscape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// slackTicketHead is how the Slack sink opens the message of a ticket: a
// prefix saying what happened (from the config's texts.slack_ticket_*),
// like the handoffs' texts.slack_handoff, and the label of the ticket's
// code for the agent (texts.slack_ticket_code or slack_handoff_code).
type slackTicketHead struct {
	prefix func(configs.Texts) string
	code   func(configs.Texts) string
}

// ticketCode is the label of a ticket's own code.
func ticketCode(x configs.Texts) string { return x.SlackTicketCode }

// handoffCode is the label of the code of a ticket's handoff.
func handoffCode(x configs.Texts) string { return x.SlackHandoffCode }

// slackTicketHeads gives each ticket reason its head. A user's message
// has its own code (접수번호); the others carry the handoff's code
// (상담번호), when any.
var slackTicketHeads = map[string]slackTicketHead{
	store.TicketReasonUserMessage: {func(x configs.Texts) string { return x.SlackTicketMessage }, ticketCode},
	ticketDealerFailed:            {func(x configs.Texts) string { return x.SlackTicketDealerFailed }, handoffCode},
	ticketRouterPoison:            {func(x configs.Texts) string { return x.SlackTicketRouterPoison }, handoffCode},
	ticketNoSink:                  {func(x configs.Texts) string { return x.SlackTicketNoSink }, handoffCode},
	ticketNotifyFailed:            {func(x configs.Texts) string { return x.SlackTicketNotifyFailed }, handoffCode},
}

// slackUnknownTicket heads a ticket whose reason has no head (its reason
// follows): never a head that reads as a user's message.
var slackUnknownTicket = slackTicketHead{func(x configs.Texts) string { return x.SlackTicketUnknown }, handoffCode}

// slackOrigins gives each ticket origin its phrase (texts.slack_origin_*).
var slackOrigins = map[string]func(configs.Texts) string{
	fsm.TicketOriginFAQ:         func(x configs.Texts) string { return x.SlackOriginFAQ },
	fsm.TicketOriginNoMatch:     func(x configs.Texts) string { return x.SlackOriginNoMatch },
	fsm.TicketOriginMenu:        func(x configs.Texts) string { return x.SlackOriginMenu },
	fsm.TicketOriginComplaint:   func(x configs.Texts) string { return x.SlackOriginComplaint },
	fsm.TicketOriginKeyword:     func(x configs.Texts) string { return x.SlackOriginKeyword },
	fsm.TicketOriginWaitTimeout: func(x configs.Texts) string { return x.SlackOriginWaitTimeout },
	fsm.TicketOriginMaxWaiting:  func(x configs.Texts) string { return x.SlackOriginMaxWaiting },
	fsm.TicketOriginAfterHours:  func(x configs.Texts) string { return x.SlackOriginAfterHours },
}

// slackOrigin is the phrase of origin in x, escaped for mrkdwn: "" for
// none, the origin itself for one this version has no phrase for.
func slackOrigin(origin string, x configs.Texts) string {
	if origin == "" {
		return ""
	}
	if f, ok := slackOrigins[origin]; ok {
		return slackEscape.Replace(f(x))
	}
	return slackEscape.Replace(origin)
}

// TicketBody returns the JSON body s sends for n: a prefix by the ticket's
// reason, where the user left it (texts.slack_origin_*, when known), the
// queue, its code (접수번호 of a user's message, else the
// handoff's 상담번호), the ticket id, a line saying the user left a number
// to be called back on (texts.slack_has_contact; the number itself stays in
// the admin API) and a masked excerpt — never a user key, transcript or
// number.
func (s *SlackSink) TicketBody(n TicketNotice) ([]byte, error) {
	t, x := n.Ticket, s.texts()
	head, known := slackTicketHeads[t.Reason]
	var parts []string
	if !known {
		head = slackUnknownTicket
		parts = append(parts, x.SlackReason+" "+slackEscape.Replace(t.Reason))
	}
	if o := slackOrigin(t.Origin, x); o != "" {
		parts = append(parts, o)
	}
	if t.Queue != "" {
		parts = append(parts, x.SlackQueue+" "+t.Queue)
	}
	if t.Code != "" {
		parts = append(parts, head.code(x)+" "+t.Code)
	}
	parts = append(parts, x.SlackTicketID+" "+t.ID)
	var sb strings.Builder
	sb.WriteString(head.prefix(x) + " " + strings.Join(parts, " · "))
	if t.Test {
		sb.WriteString(" " + x.SlackTest)
	}
	if t.ContactID != "" {
		sb.WriteString("\n" + slackEscape.Replace(x.SlackHasContact))
	}
	slackContactPref(&sb, t.ContactPref, x)
	if m := excerpt(t.Message); m != "" {
		sb.WriteString("\n> ")
		sb.WriteString(slackEscape.Replace(m))
	}
	out, err := json.Marshal(slackBody{Text: sb.String()})
	if err != nil {
		return nil, fmt.Errorf("handoff: slack body for ticket %s: %w", t.ID, err)
	}
	return out, nil
}

// NotifyTicket implements TicketSink.
func (s *SlackSink) NotifyTicket(ctx context.Context, n TicketNotice) error {
	body, err := s.TicketBody(n)
	if err != nil {
		return err
	}
	return post(ctx, s.Client, s.URL, body, n.Ticket.ID, http.Header{})
}
