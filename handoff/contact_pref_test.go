package handoff

import (
	"bytes"
	"context"
	"testing"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/store"
)

// TestContactPrefOnTheWire: a handoff's contact preference reaches the
// webhook (pii or not) and the dealer as context.contact_preference, and a
// ticket's as contact_preference; without one the key is absent, so a
// version 1 receiver sees the body it always did.
func TestContactPrefOnTheWire(t *testing.T) {
	const key = `"contact_preference"`
	dealer := NewDealerClient("acme", configs.Dealer{URL: "http://127.0.0.1:1", Secret: "s"}, "bot", nil)
	for _, pref := range []string{"sms", "chat", ""} {
		want := []byte(key + `:"` + pref + `"`)
		check := func(what string, body []byte, err error) {
			t.Helper()
			if err != nil {
				t.Fatalf("%s, preference %q: %v", what, pref, err)
			}
			if pref == "" && bytes.Contains(body, []byte(key)) {
				t.Errorf("%s without a preference: got %s, want no %s", what, body, key)
			}
			if pref != "" && !bytes.Contains(body, want) {
				t.Errorf("%s, preference %q: got %s, want %s", what, pref, body, want)
			}
		}
		n := testNotification()
		n.Context.ContactPref = pref
		for _, pii := range []bool{true, false} {
			body, err := (&WebhookSink{PII: pii}).Body(n)
			check("webhook", body, err)
		}
		h := n.Handoff
		h.ContactPref = pref
		body, err := dealer.RequestBody(context.Background(), h, Context{})
		check("dealer", body, err)

		tk := store.Ticket{ID: "01TICKET", Reason: store.TicketReasonUserMessage, Queue: "general", ContactPref: pref}
		body, err = (&WebhookSink{}).TicketBody(TicketNotice{Ticket: tk})
		check("ticket webhook", body, err)
	}
}
