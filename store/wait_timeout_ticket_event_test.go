package store

import (
	"context"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
)

// TestOpenWaitTimeoutTicketQueuesItsEvent: the wait timer's dealer_failed
// ticket queues its open event (Options.TicketEvent) and its announcement
// with its insert, as OpenTicket does, and a second try queues neither.
func TestOpenWaitTimeoutTicketQueuesItsEvent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	at := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	var statuses []string
	db, _ := openTestDB(t, Options{TicketEvent: func(id, status string, at time.Time) OutboxMsg {
		statuses = append(statuses, status)
		return OutboxMsg{Subject: "baton.ticket." + id + "." + status, Payload: []byte(id), CreatedAt: at}
	}})
	const key = "u-wait-event"
	h := Handoff{ID: "01HWAITEVENT", Code: "W001", UserKey: key, Queue: "vip", Target: "dealer:acme", CreatedAt: at}
	w := &TurnWrite{User: User{Key: key, FirstSeen: at, LastSeen: at},
		Conv:        fsm.Conversation{UserKey: key, State: fsm.StateWaiting, HandoffID: h.ID, Queue: "vip"},
		Turn:        Turn{ID: NewID(at), UserKey: key, At: at, State: fsm.StateWaiting},
		OpenHandoff: &h}
	if err := db.Commit(ctx, w); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	if err := closeWith(at, fsm.EventWaitTimeout)(db, h.ID); err != nil {
		t.Fatal(err)
	}
	tk := Ticket{ID: "T" + h.ID, HandoffID: h.ID, Reason: "dealer_failed", Detail: "no ack", CreatedAt: at.Add(time.Minute)}
	announce := OutboxMsg{Subject: "baton.ticket.x.created", Payload: []byte("x"), CreatedAt: at}
	for i, want := range []bool{true, false} {
		created, err := db.OpenWaitTimeoutTicket(ctx, tk, fsm.EventWaitTimeout, announce)
		if err != nil || created != want {
			t.Fatalf("OpenWaitTimeoutTicket #%d: got created %v, %v; want %v", i+1, created, err, want)
		}
	}
	if len(statuses) != 1 || statuses[0] != TicketStatusOpen {
		t.Errorf("got ticket event statuses %v, want [open]", statuses)
	}
	for _, subject := range []string{"baton.ticket." + tk.ID + ".open", announce.Subject} {
		var n int
		if err := db.r.QueryRow(`SELECT COUNT(*) FROM outbox WHERE subject = ?`, subject).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("got %d outbox rows %q, want 1", n, subject)
		}
	}
}
