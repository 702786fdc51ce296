package handoff

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

func testContactBox(t testing.TB) *store.ContactBox {
	t.Helper()
	key, err := store.ContactKey(t.TempDir(), "")
	if err != nil {
		t.Fatal(err)
	}
	box, err := store.NewContactBox(key)
	if err != nil {
		t.Fatal(err)
	}
	return box
}

// leaveTicket commits, like the turn that ends an intake, an after_hours →
// bot turn whose outcome carries a ticket, through Effects.AddTo.
func (f *routerFixture) leaveTicket(t testing.TB, e Effects, user, msg, contact string, at time.Time) string {
	t.Helper()
	id := store.NewID(at)
	o := &fsm.Outcome{
		Conversation: fsm.Conversation{UserKey: user, State: fsm.StateBot, StateSince: at, LastTurnAt: at},
		Ticket:       &fsm.TicketOpen{ID: id, Code: "T3ST", Queue: "general", Message: msg, Contact: contact},
	}
	w := &store.TurnWrite{
		User: store.User{Key: user, PlusfriendKey: "pf-" + user, LastSeen: at},
		Conv: o.Conversation,
		Turn: store.Turn{ID: store.NewID(at), UserKey: user, At: at, Block: "text", Utterance: msg, Kind: "ticket", State: fsm.StateBot},
	}
	e.AddTo(o, w, at)
	if err := f.db.Commit(context.Background(), w); err != nil {
		t.Fatalf("commit ticket turn: %v", err)
	}
	return id
}

func TestAddTicketsWritesTicketContactAndOutbox(t *testing.T) {
	f := newRouterFixture(t)
	ctx := context.Background()
	box := testContactBox(t)
	at := time.Now().UTC()
	id := f.leaveTicket(t, Effects{Contacts: box}, "u-eff", "환불 문의 010-****-****", "01012345678", at)
	tk, ok, err := f.db.TicketByID(ctx, id)
	if err != nil || !ok {
		t.Fatalf("TicketByID: %v, %v", ok, err)
	}
	if tk.Reason != store.TicketReasonUserMessage || tk.UserKey != "u-eff" || tk.Code != "T3ST" || tk.ContactID == "" {
		t.Fatalf("got ticket %+v, want a user_message ticket with a contact", tk)
	}
	if got, ok, err := f.db.Contact(ctx, box, tk.ContactID); err != nil || !ok || got != "01012345678" {
		t.Errorf("Contact: got %q, %v, %v", got, ok, err)
	}
	msgs, err := f.db.PendingOutbox(ctx, 10)
	if err != nil || len(msgs) != 1 || msgs[0].Subject != "baton.ticket."+id+".created" || string(msgs[0].Payload) != id {
		t.Fatalf("outbox: got %+v, %v; want one baton.ticket.%s.created", msgs, err, id)
	}
	// Without a contact box the number is dropped, never stored in the clear.
	id2 := f.leaveTicket(t, Effects{}, "u-eff2", "문의", "01012345678", at)
	tk2, _, _ := f.db.TicketByID(ctx, id2)
	var n int
	if err := f.db.ReadDB().QueryRow(`SELECT COUNT(*) FROM contacts WHERE user_key = 'u-eff2'`).Scan(&n); err != nil || n != 0 || tk2.ContactID != "" {
		t.Errorf("without a box: %d contact rows, contact id %q; want none", n, tk2.ContactID)
	}
}

func TestRouterAnnouncesTicketsOnce(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	rt := startRouting(t, f, hook, slack, RouterOptions{RetryDelay: 50 * time.Millisecond})
	id := f.leaveTicket(t, Effects{Contacts: testContactBox(t)}, "u-rt", "배송 문의 010-****-**** <b>급함</b>", "01055556666", time.Now().UTC())

	got := hook.wantCount(t, 1)[0]
	verifySignature(t, got.Header.Get(SignatureHeader), got.Body)
	if k := got.Header.Get(HeaderIdempotency); k != id {
		t.Errorf("Idempotency-Key %q, want ticket id %q", k, id)
	}
	var body map[string]any
	if err := json.Unmarshal(got.Body, &body); err != nil {
		t.Fatal(err)
	}
	if body["type"] != "ticket.created" || body["id"] != id || body["code"] != "T3ST" || body["has_contact"] != true {
		t.Errorf("got webhook body %s", got.Body)
	}
	sb := slack.wantCount(t, 1)[0].Body
	for _, secret := range []string{"u-rt", "pf-u-rt", "5555", "6666"} {
		if bytes.Contains(sb, []byte(secret)) {
			t.Errorf("slack body contains %q: %s", secret, sb)
		}
	}
	for _, number := range []string{"5555", "6666"} {
		if bytes.Contains(got.Body, []byte(number)) {
			t.Errorf("webhook body contains the contact's %q: %s", number, got.Body)
		}
	}
	if !bytes.Contains(sb, []byte(id)) || bytes.Contains(sb, []byte("<b>")) {
		t.Errorf("slack body: want the ticket id and escaped markup: %s", sb)
	}
	waitHandled(t, rt, 1)
	done, err := f.db.TicketDeliveries(context.Background(), id)
	if err != nil || len(done) != 2 {
		t.Errorf("ticket deliveries: got %v, %v; want both sinks", done, err)
	}
}

func TestRouterRetriesAFailedTicketSinkOnly(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	slack.setStatus(http.StatusInternalServerError)
	rt := startRouting(t, f, hook, slack, RouterOptions{RetryDelay: 50 * time.Millisecond})
	f.leaveTicket(t, Effects{}, "u-retry", "문의", "", time.Now().UTC())
	hook.wantCount(t, 1)
	checkForT(t, 10*time.Second, func() error {
		if n := len(slack.requests()); n < 2 {
			return errString("slack not retried yet")
		}
		return nil
	})
	slack.setStatus(0)
	waitHandled(t, rt, 1)
	if n := len(hook.requests()); n != 1 {
		t.Errorf("webhook got %d requests, want 1 (delivered once, skipped on redelivery)", n)
	}
}

func TestRouterSkipsClosedTicket(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	at := time.Now().UTC()
	id := f.leaveTicket(t, Effects{}, "u-closed", "문의", "", at)
	if err := f.db.CloseTicket(context.Background(), id, at); err != nil {
		t.Fatal(err)
	}
	rt := startRouting(t, f, hook, slack, RouterOptions{})
	waitHandled(t, rt, 1)
	if n := len(hook.requests()) + len(slack.requests()); n != 0 {
		t.Errorf("sinks got %d requests for a closed ticket, want 0", n)
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func TestTicketBodies(t *testing.T) {
	tk := store.Ticket{ID: "01TICKET", Code: "A7K2", Queue: "general", Reason: store.TicketReasonUserMessage,
		UserKey: "u-secret", Message: strings.Repeat("가", 70), ContactID: "c1", CreatedAt: time.Unix(0, 0), Test: true}
	for _, tt := range []struct {
		name     string
		pii      bool
		wantUser bool
		wantLen  int // runes of message
	}{
		{"pii webhook gets the whole masked message and the user", true, true, 70},
		{"webhook without pii gets an excerpt and no user", false, false, excerptRunes + 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, err := (&WebhookSink{PII: tt.pii}).TicketBody(TicketNotice{Ticket: tk})
			if err != nil {
				t.Fatal(err)
			}
			var w ticketWebhookBody
			if err := json.Unmarshal(b, &w); err != nil {
				t.Fatal(err)
			}
			if got := w.User != nil; got != tt.wantUser {
				t.Errorf("got user %v, want %v", got, tt.wantUser)
			}
			if got := len([]rune(w.Message)); got != tt.wantLen {
				t.Errorf("got message of %d runes, want %d", got, tt.wantLen)
			}
			if !w.Test {
				t.Errorf("got %s, want test: true", b)
			}
			if !w.HasContact || bytes.Contains(b, []byte("c1")) {
				t.Errorf("got %s, want has_contact and no contact id", b)
			}
		})
	}
}
