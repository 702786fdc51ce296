package handoff

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/pii"
	"github.com/baton-chat/baton/store"
)

// bodyRecorder is a loopback sink receiver that keeps every body it is sent.
type bodyRecorder struct {
	mu     sync.Mutex
	bodies [][]byte
}

func (r *bodyRecorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.bodies = append(r.bodies, b)
	r.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

func (r *bodyRecorder) last(t *testing.T) []byte {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.bodies) == 0 {
		t.Fatal("receiver got nothing")
	}
	return r.bodies[len(r.bodies)-1]
}

// clearNumberRun finds a phone or card number in clear: 010 then 8 digits,
// or 16 digits, separated by single spaces or hyphens only (the shape an
// agent reads as a number).
var clearNumberRun = regexp.MustCompile(`010[ -]?\d{4}[ -]?\d{4}|\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}`)

// TestSlackTicketExcerptMasksLineSplitNumbers: docs/notify-webhook.md
// §3 says the Slack sink (an overseas service) gets "a masked excerpt of the
// message" and never a number. A user leaving a message types the card
// number or phone on lines of their own ("4111 1111\n1111 1111"). The turn
// masks the raw text (skill.Mask = pii.Mask), which used to see no number
// across the line break and keep it; the ticket's excerpt then folded the
// white space after masking, joining the groups into "4111 1111 1111 1111"
// on one line in the Slack message (and in a pii:false webhook's message).
// pii.Mask now reads a white space run between digit groups as a separator,
// and the excerpt masks the folded text again, as slackIntake does.
func TestSlackTicketExcerptMasksLineSplitNumbers(t *testing.T) {
	rec := &bodyRecorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	for _, raw := range []string{
		"결제 취소 부탁드려요 카드번호\n4111 1111\n1111 1111",
		"환불 문의요 연락처\n010\n1234\n5678",
	} {
		// What the turn stores as the ticket's message (fsm takeMessage
		// gets Input.Masked = skill.Mask(utterance)).
		tk := store.Ticket{ID: "01TICKETLINES", Reason: store.TicketReasonUserMessage, Queue: "general", Code: "B3Q9",
			Message: strings.TrimSpace(pii.Mask(raw)), CreatedAt: time.Now()}
		slack := &SlackSink{URL: srv.URL, Client: SinkClient(DefaultSinkTimeout)}
		if err := slack.NotifyTicket(context.Background(), TicketNotice{Ticket: tk}); err != nil {
			t.Fatal(err)
		}
		var sb slackBody
		if err := json.Unmarshal(rec.last(t), &sb); err != nil {
			t.Fatal(err)
		}
		if m := clearNumberRun.FindString(sb.Text); m != "" {
			t.Errorf("Slack ticket text %q carries the number %q in clear; want it starred like the intake lines (slackIntake masks the folded text)", sb.Text, m)
		}
		hook := &WebhookSink{URL: srv.URL, Client: SinkClient(DefaultSinkTimeout), Secret: "s"}
		if err := hook.NotifyTicket(context.Background(), TicketNotice{Ticket: tk}); err != nil {
			t.Fatal(err)
		}
		var wb ticketWebhookBody
		if err := json.Unmarshal(rec.last(t), &wb); err != nil {
			t.Fatal(err)
		}
		if m := clearNumberRun.FindString(wb.Message); m != "" {
			t.Errorf("pii:false webhook ticket message %q carries the number %q in clear", wb.Message, m)
		}
	}
}

// TestWebhookWithoutPIIMasksLineSplitPhoneInIntake: §1.1 says intake fields
// not marked pii reach a pii:false webhook "masked as turns are (phone
// numbers, e-mail addresses, card ... numbers starred)". A free-text field
// keeps the answer as typed, line breaks included; Context.wire masks it
// without folding, so a number typed over lines went out in clear — while
// the Slack sink, which folds first, starred the same value. pii.Mask now
// reads the line breaks between digit groups as separators.
func TestWebhookWithoutPIIMasksLineSplitPhoneInIntake(t *testing.T) {
	n := testNotification()
	n.Context.Intake = map[string]string{"memo": "이 번호로 전화 주세요\n010\n1234\n5678"}
	n.Context.IntakePII = map[string]bool{}
	body, err := (&WebhookSink{PII: false}).Body(n)
	if err != nil {
		t.Fatal(err)
	}
	var wb webhookBody
	if err := json.Unmarshal(body, &wb); err != nil {
		t.Fatal(err)
	}
	memo := wb.Context.Intake["memo"]
	folded := strings.Join(strings.Fields(memo), " ")
	if m := clearNumberRun.FindString(folded); m != "" {
		t.Errorf("pii:false webhook intake memo %q carries the phone number %q (digits not starred)", memo, m)
	}
	sbody, err := (&SlackSink{}).Body(n)
	if err != nil {
		t.Fatal(err)
	}
	var sb slackBody
	_ = json.Unmarshal(sbody, &sb)
	if m := clearNumberRun.FindString(sb.Text); m != "" {
		t.Fatalf("control: Slack intake line %q unexpectedly in clear", sb.Text)
	}
}
