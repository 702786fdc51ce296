package handoff

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
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

// TestContactPrefOnSlack: a handoff's and a ticket's Slack message carry the
// preference's line from texts (texts.slack_contact_sms, slack_contact_chat)
// and no such line without one.
func TestContactPrefOnSlack(t *testing.T) {
	x := configs.DefaultTexts()
	sinks := NewSinks([]configs.Notify{{Kind: SinkSlack, URL: "http://127.0.0.1:1/slack"}}, nil, nil)
	SetSinkTexts(sinks, func() configs.Texts { return x })
	slack, ok := sinks[0].(*SlackSink)
	if !ok {
		t.Fatalf("got sink %T, want *SlackSink", sinks[0])
	}
	for pref, want := range map[string]string{"sms": x.SlackContactSMS, "chat": x.SlackContactChat, "": ""} {
		n := testNotification()
		n.Context.ContactPref = pref
		b, err := slack.Body(n)
		if err != nil {
			t.Fatal(err)
		}
		tb, err := slack.TicketBody(TicketNotice{Ticket: store.Ticket{ID: "01TICKET", Reason: store.TicketReasonUserMessage,
			Queue: "general", ContactPref: pref}})
		if err != nil {
			t.Fatal(err)
		}
		for what, text := range map[string]string{"handoff": slackText(t, b), "ticket": slackText(t, tb)} {
			for _, line := range []string{x.SlackContactSMS, x.SlackContactChat} {
				if has := strings.Contains(text, "\n"+line); has != (line == want) {
					t.Errorf("%s, preference %q: got %q, want line %q: %v", what, pref, text, line, line == want)
				}
			}
		}
	}
}

// TestRouterTicketKeepsTheHandoffsContactPref: the ticket the router opens
// for a handoff (no notify sink, a poison request) carries the contact
// preference the user stated during its intake.
func TestRouterTicketKeepsTheHandoffsContactPref(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	ctx := context.Background()
	at := time.Now().UTC()
	h := store.Handoff{ID: store.NewID(at), Code: "SMS9", UserKey: "u-router-pref", Queue: "general",
		Target: "notify", Reason: "menu", CreatedAt: at, ContactPref: fsm.ContactPrefSMS}
	w := &store.TurnWrite{User: store.User{Key: h.UserKey, LastSeen: at},
		Conv:        fsm.Conversation{UserKey: h.UserKey, State: fsm.StateWaiting, HandoffID: h.ID, Queue: "general"},
		Turn:        store.Turn{ID: store.NewID(at), UserKey: h.UserKey, At: at, State: fsm.StateWaiting},
		OpenHandoff: &h}
	if err := f.db.Commit(ctx, w); err != nil {
		t.Fatal(err)
	}
	rt := NewRouter(f.db, f.js, nil, nil, RouterOptions{})
	if err := rt.ticket(ctx, h.ID, ticketNoSink, "no sink"); err != nil {
		t.Fatal(err)
	}
	list, err := f.db.ListTickets(ctx, store.TicketFilter{Status: store.TicketStatusOpen})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].HandoffID != h.ID || list[0].ContactPref != fsm.ContactPrefSMS {
		t.Errorf("got tickets %+v, want one of handoff %s with contact preference %q", list, h.ID, fsm.ContactPrefSMS)
	}
}

// TestRouterTicketKeepsTheHandoffsTestFlag: the tickets the router opens
// for a handoff (no notify sink, a poison request) are marked test when the
// handoff is bot-test traffic, and not when it is a customer's.
func TestRouterTicketKeepsTheHandoffsTestFlag(t *testing.T) {
	t.Parallel()
	for _, test := range []bool{true, false} {
		f := newRouterFixture(t)
		ctx := context.Background()
		at := time.Now().UTC()
		h := store.Handoff{ID: store.NewID(at), Code: "TST9", UserKey: "u-router-test", Queue: "general",
			Target: "notify", Reason: "menu", CreatedAt: at, Test: test}
		w := &store.TurnWrite{User: store.User{Key: h.UserKey, LastSeen: at, Test: test},
			Conv:        fsm.Conversation{UserKey: h.UserKey, State: fsm.StateWaiting, HandoffID: h.ID, Queue: "general"},
			Turn:        store.Turn{ID: store.NewID(at), UserKey: h.UserKey, At: at, State: fsm.StateWaiting, Test: test},
			OpenHandoff: &h}
		if err := f.db.Commit(ctx, w); err != nil {
			t.Fatal(err)
		}
		rt := NewRouter(f.db, f.js, nil, nil, RouterOptions{})
		for _, reason := range []string{ticketNoSink, ticketRouterPoison} {
			if err := rt.ticket(ctx, h.ID, reason, reason); err != nil {
				t.Fatal(err)
			}
		}
		list, err := f.db.ListTickets(ctx, store.TicketFilter{Status: store.TicketStatusOpen})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 {
			t.Fatalf("test %v: got tickets %+v, want no_sink and router_poison", test, list)
		}
		for _, tk := range list {
			if tk.HandoffID != h.ID || tk.Test != test {
				t.Errorf("%s ticket: got handoff %q, test %v; want handoff %s, test %v", tk.Reason, tk.HandoffID, tk.Test, h.ID, test)
			}
		}
	}
}
