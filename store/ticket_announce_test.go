package store

import (
	"context"
	"testing"
	"time"
)

// TestOpenTicketAnnouncesOnce: OpenTicket keeps the handoff's
// code and queues its status event and announcement with the ticket; a
// repeat for the same handoff and reason (a redelivered timer) opens and
// queues nothing.
func TestOpenTicketAnnouncesOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{TicketEvent: func(id, status string, at time.Time) OutboxMsg {
		return OutboxMsg{ID: NewID(at), Subject: "baton.ticket." + id + "." + status, Payload: []byte(id), CreatedAt: at}
	}})
	at := time.UnixMilli(1_790_000_000_000)
	for i, want := range []bool{true, false} {
		tk := Ticket{ID: NewID(at), HandoffID: "01HANDOFF", Queue: "vip", Code: "A7K2", Reason: "dealer_failed",
			Detail: "dealer d: no answer", CreatedAt: at}
		announce := OutboxMsg{ID: NewID(at), Subject: "baton.ticket." + tk.ID + ".created", Payload: []byte(tk.ID), CreatedAt: at}
		created, err := db.OpenTicket(ctx, tk, announce)
		if err != nil || created != want {
			t.Fatalf("OpenTicket #%d: got created %v, %v; want %v", i+1, created, err, want)
		}
	}
	tickets, err := db.Tickets(ctx, TicketStatusOpen)
	if err != nil || len(tickets) != 1 {
		t.Fatalf("got tickets %+v, %v; want 1", tickets, err)
	}
	got, ok, err := db.TicketByID(ctx, tickets[0].ID)
	if err != nil || !ok {
		t.Fatalf("TicketByID: %v, found %v", err, ok)
	}
	if got.Code != "A7K2" || got.HandoffID != "01HANDOFF" || got.Queue != "vip" {
		t.Errorf("got ticket %+v, want code A7K2, handoff 01HANDOFF, queue vip", got)
	}
	rows, err := db.PendingOutbox(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	subjects := map[string]int{}
	for _, r := range rows {
		subjects[r.Subject]++
	}
	id := tickets[0].ID
	if want := map[string]int{"baton.ticket." + id + ".open": 1, "baton.ticket." + id + ".created": 1}; len(rows) != 2 ||
		subjects["baton.ticket."+id+".open"] != 1 || subjects["baton.ticket."+id+".created"] != 1 {
		t.Errorf("got outbox subjects %v, want %v", subjects, want)
	}
}
