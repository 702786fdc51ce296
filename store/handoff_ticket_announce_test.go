package store

import (
	"context"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
)

// TestAnnounceHandoffTicketQueuesOncePerPendingAndNeverForClosed: the announcement of a handoff's open ticket
// of a reason is queued with that ticket's id, once while it is pending,
// again once published (the router's records keep sinks from being told
// twice), and never for a reason the handoff has no ticket of or a closed
// ticket.
func TestAnnounceHandoffTicketQueuesOncePerPendingAndNeverForClosed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	at := time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC)
	h := Handoff{ID: "01HANNOUNCE", Code: "AN01", UserKey: "u-announce", Queue: "vip", Target: "dealer:acme", Reason: "menu", CreatedAt: at}
	if err := db.Commit(ctx, &TurnWrite{User: User{Key: h.UserKey, FirstSeen: at, LastSeen: at},
		Conv:        fsm.Conversation{UserKey: h.UserKey, State: fsm.StateWaiting, HandoffID: h.ID, Queue: "vip"},
		Turn:        Turn{ID: NewID(at), UserKey: h.UserKey, At: at, State: fsm.StateWaiting},
		OpenHandoff: &h}); err != nil {
		t.Fatal(err)
	}
	if failed, err := db.FailDealerOver(ctx, Ticket{ID: "T1", HandoffID: h.ID, Reason: "dealer_failed"}, "dealer:acme:failed", at); err != nil || !failed {
		t.Fatalf("fail over: got %v, %v; want failed", failed, err)
	}
	var seen []string
	announce := func(id string) OutboxMsg {
		seen = append(seen, id)
		return OutboxMsg{ID: NewID(at), Subject: "t." + id + ".created", Payload: []byte(id), CreatedAt: at}
	}
	// pending returns the pending announcements of T1.
	pending := func() int {
		t.Helper()
		rows, err := db.PendingOutbox(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, m := range rows {
			if m.Subject == "t.T1.created" {
				n++
			}
		}
		return n
	}
	for i, want := range []int{1, 1} {
		if ok, err := db.AnnounceHandoffTicket(ctx, h.ID, "dealer_failed", announce); err != nil || !ok {
			t.Fatalf("call %d: got %v, %v; want ok", i+1, ok, err)
		}
		if got := pending(); got != want {
			t.Errorf("call %d: got %d pending announcements, want %d", i+1, got, want)
		}
	}
	if len(seen) != 2 || seen[0] != "T1" {
		t.Errorf("announce got ticket ids %v, want T1 twice", seen)
	}
	rows, err := db.PendingOutbox(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range rows {
		ids = append(ids, m.ID)
	}
	if err := db.MarkPublished(ctx, ids, at); err != nil {
		t.Fatal(err)
	}
	if ok, err := db.AnnounceHandoffTicket(ctx, h.ID, "dealer_failed", announce); err != nil || !ok || pending() != 1 {
		t.Errorf("after publishing: got %v, %v, %d pending; want ok and 1", ok, err, pending())
	}
	if ok, err := db.AnnounceHandoffTicket(ctx, h.ID, "router_poison", announce); err != nil || ok {
		t.Errorf("a reason without a ticket: got %v, %v; want not ok", ok, err)
	}
	if err := db.CloseTicket(ctx, "T1", at); err != nil {
		t.Fatal(err)
	}
	if ok, err := db.AnnounceHandoffTicket(ctx, h.ID, "dealer_failed", announce); err != nil || ok {
		t.Errorf("a closed ticket: got %v, %v; want not ok", ok, err)
	}
}
