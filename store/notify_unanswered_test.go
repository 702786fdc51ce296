package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
)

// TestOpenNotifyUnansweredTicket: the ticket of a notify handoff that ended
// unaccepted by one of the given reasons before any sink acknowledged it is
// opened once, with its announcement; any other handoff gets none.
func TestOpenNotifyUnansweredTicket(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	at := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	ends := []string{fsm.EventWaitTimeout, "not_connected"}
	for i, tc := range []struct {
		name   string
		target string
		before func(db *DB, id string) error
		want   bool
	}{
		{"wait timeout, no sink told", "notify", closeWith(at, fsm.EventWaitTimeout), true},
		{"not connected, no sink told", "notify", closeWith(at, "not_connected"), true},
		{"still open", "notify", nil, false},
		{"a sink was told", "notify", mark(at, "notify:0:webhook", closeWith(at, fsm.EventWaitTimeout)), false},
		// The 2xx came after the end: the sink showed dead links.
		{"a sink was told after the end", "notify", func(db *DB, id string) error {
			if err := closeWith(at, fsm.EventWaitTimeout)(db, id); err != nil { // ended at +10 s
				return err
			}
			return db.MarkDelivered(context.Background(), id, "notify:0:webhook", at.Add(11*time.Second))
		}, true},
		// Recorded in the millisecond of the end: the order is unknown,
		// and the ticket is the side that loses no one.
		{"a sink was told as it ended", "notify", func(db *DB, id string) error {
			if err := closeWith(at, fsm.EventWaitTimeout)(db, id); err != nil {
				return err
			}
			return db.MarkDelivered(context.Background(), id, "notify:0:webhook", at.Add(10*time.Second))
		}, true},
		{"only attempted before the end", "notify", mark(at, "notify:0:webhook"+AttemptSuffix, closeWith(at, "not_connected")), true},
		{"a closed mark alone", "notify", mark(at, "notify:0:webhook"+ClosedSuffix, closeWith(at, "not_connected")), true},
		{"cancelled by the user", "notify", closeWith(at, "user_cancel"), false},
		{"accepted, then ended", "notify", accept(at, closeWith(at, "idle")), false},
		{"a dealer handoff", "dealer:acme", closeWith(at, fsm.EventWaitTimeout), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, _ := openTestDB(t, Options{})
			key := fmt.Sprintf("u-untold%d", i)
			h := Handoff{ID: fmt.Sprintf("01HUNTOLD%d", i), Code: "U00" + fmt.Sprint(i), UserKey: key, Queue: "general",
				Target: tc.target, CreatedAt: at}
			w := &TurnWrite{User: User{Key: key, FirstSeen: at, LastSeen: at},
				Conv:        fsm.Conversation{UserKey: key, State: fsm.StateWaiting, HandoffID: h.ID, Queue: "general"},
				Turn:        Turn{ID: NewID(at), UserKey: key, At: at, State: fsm.StateWaiting},
				OpenHandoff: &h}
			if err := db.Commit(ctx, w); err != nil {
				t.Fatalf("Commit: %v", err)
			}
			if tc.before != nil {
				if err := tc.before(db, h.ID); err != nil {
					t.Fatal(err)
				}
			}
			tk := Ticket{ID: "T" + h.ID, HandoffID: h.ID, Reason: "notify_failed", Detail: "untold", CreatedAt: at.Add(time.Minute)}
			created, err := db.OpenNotifyUnansweredTicket(ctx, tk, ends,
				OutboxMsg{Subject: "baton.ticket.y.created", Payload: []byte("y"), CreatedAt: at})
			if err != nil || created != tc.want {
				t.Fatalf("OpenNotifyUnansweredTicket: got %v, %v; want %v", created, err, tc.want)
			}
			tk.ID = "T2" + h.ID
			again, err := db.OpenNotifyUnansweredTicket(ctx, tk, ends)
			if err != nil || again {
				t.Errorf("second OpenNotifyUnansweredTicket: got %v, %v; want false (one ticket)", again, err)
			}
			var tickets, announced int
			if err := db.r.QueryRow(`SELECT COUNT(*) FROM tickets WHERE handoff_id = ?`, h.ID).Scan(&tickets); err != nil {
				t.Fatal(err)
			}
			if err := db.r.QueryRow(`SELECT COUNT(*) FROM outbox WHERE subject = 'baton.ticket.y.created'`).Scan(&announced); err != nil {
				t.Fatal(err)
			}
			if want := map[bool]int{true: 1, false: 0}[tc.want]; tickets != want || announced != want {
				t.Errorf("got %d tickets and %d announcements, want %d of each", tickets, announced, want)
			}
		})
	}
}
