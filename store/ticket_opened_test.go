package store

import (
	"context"
	"testing"
	"time"
)

// TestOpenTicketQueuesItsEvent: OpenTicket queues its Options.TicketEvent
// message (status open) with the ticket, and nothing for a repeat that
// creates no ticket.
func TestOpenTicketQueuesItsEvent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var statuses []string
	db, _ := openTestDB(t, Options{TicketEvent: func(id, status string, at time.Time) OutboxMsg {
		statuses = append(statuses, status)
		return OutboxMsg{Subject: "baton.ticket." + id + "." + status, Payload: []byte(id), CreatedAt: at}
	}})
	tk := Ticket{HandoffID: "01HANDOFF", Reason: "dealer_failed", Detail: "dealer d: down"}
	for i, want := range []bool{true, false} {
		created, err := db.OpenTicket(ctx, tk)
		if err != nil || created != want {
			t.Fatalf("OpenTicket #%d: got created %v, %v; want %v", i+1, created, err, want)
		}
	}
	rows, err := db.PendingOutbox(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || len(statuses) != 1 || statuses[0] != TicketStatusOpen {
		t.Fatalf("got %d outbox rows, statuses %v; want 1 row, [open]", len(rows), statuses)
	}
	tickets, err := db.Tickets(ctx, TicketStatusOpen)
	if err != nil || len(tickets) != 1 {
		t.Fatalf("got tickets %+v, %v; want 1", tickets, err)
	}
	if got, want := rows[0].Subject, "baton.ticket."+tickets[0].ID+".open"; got != want {
		t.Errorf("got subject %q, want %q", got, want)
	}
}
