package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
)

// TestOpenWaitTimeoutTicketRacesTheAccept: the wait timer's dealer_failed
// ticket is decided in the same transaction as its insert, against the
// handoff's row: it is opened only for a dealer handoff its wait timeout
// ended without an accept, a dealer acknowledgement or a router failover.
// Whichever of the dealer's accept and the timeout commits first, an
// accepted handoff never gets the ticket: an accept first leaves it
// unqualified (and the timeout never ends an accepted handoff), and an
// accept after the timeout finds the handoff ended and changes nothing.
func TestOpenWaitTimeoutTicketRacesTheAccept(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	at := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	for i, tc := range []struct {
		name   string
		target string
		// before runs on the open handoff before the ticket is tried.
		before func(db *DB, id string) error
		want   bool
	}{
		{"timeout, then ticket", "dealer:acme", closeWith(at, fsm.EventWaitTimeout), true},
		{"still open", "dealer:acme", nil, false},
		{"accepted, then ended", "dealer:acme", accept(at, closeWith(at, "ended:agent")), false},
		{"accepted, then ended by wait_timeout", "dealer:acme", accept(at, closeWith(at, fsm.EventWaitTimeout)), false},
		{"cancelled by the user", "dealer:acme", closeWith(at, "user_cancel"), false},
		{"dealer acknowledged", "dealer:acme", mark(at, "dealer:acme", closeWith(at, fsm.EventWaitTimeout)), false},
		{"router failed over", "dealer:acme", mark(at, "dealer:acme:failed", closeWith(at, fsm.EventWaitTimeout)), false},
		{"sink delivery only", "dealer:acme", mark(at, "notify:0:webhook", closeWith(at, fsm.EventWaitTimeout)), true},
		{"not a dealer handoff", "notify", closeWith(at, fsm.EventWaitTimeout), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, _ := openTestDB(t, Options{})
			key := fmt.Sprintf("u-race%d", i)
			h := Handoff{ID: fmt.Sprintf("01HRACE%d", i), Code: "R00" + fmt.Sprint(i), UserKey: key, Queue: "vip",
				Target: tc.target, CreatedAt: at}
			w := &TurnWrite{User: User{Key: key, FirstSeen: at, LastSeen: at},
				Conv:        fsm.Conversation{UserKey: key, State: fsm.StateWaiting, HandoffID: h.ID, Queue: "vip"},
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
			tk := Ticket{ID: "T" + h.ID, HandoffID: h.ID, Reason: "dealer_failed", Detail: "no ack", CreatedAt: at.Add(time.Minute)}
			created, err := db.OpenWaitTimeoutTicket(ctx, tk, fsm.EventWaitTimeout,
				OutboxMsg{Subject: "baton.ticket.x.created", Payload: []byte("x"), CreatedAt: at})
			if err != nil || created != tc.want {
				t.Fatalf("OpenWaitTimeoutTicket: got %v, %v; want %v", created, err, tc.want)
			}
			again, err := db.OpenWaitTimeoutTicket(ctx, tk, fsm.EventWaitTimeout)
			if err != nil || again {
				t.Errorf("second OpenWaitTimeoutTicket: got %v, %v; want false (one ticket)", again, err)
			}
			var tickets, announced int
			if err := db.r.QueryRow(`SELECT COUNT(*) FROM tickets WHERE handoff_id = ?`, h.ID).Scan(&tickets); err != nil {
				t.Fatal(err)
			}
			if err := db.r.QueryRow(`SELECT COUNT(*) FROM outbox WHERE subject = 'baton.ticket.x.created'`).Scan(&announced); err != nil {
				t.Fatal(err)
			}
			if want := map[bool]int{true: 1, false: 0}[tc.want]; tickets != want || announced != want {
				t.Errorf("got %d tickets and %d announcements, want %d of each", tickets, announced, want)
			}
			if !tc.want {
				return
			}
			got, ok, err := db.TicketByID(ctx, tk.ID)
			if err != nil || !ok {
				t.Fatalf("TicketByID: ok %v, err %v", ok, err)
			}
			if got.UserKey != key || got.Queue != "vip" || got.Code != h.Code || got.Reason != "dealer_failed" {
				t.Errorf("got ticket user %q queue %q code %q reason %q, want the handoff's %q, vip, %q, dealer_failed",
					got.UserKey, got.Queue, got.Code, got.Reason, key, h.Code)
			}
			// The dealer's accept arriving after the timeout changes nothing.
			if changed, err := db.MarkHandoffAccepted(ctx, h.ID, at.Add(2*time.Minute)); err != nil || changed {
				t.Errorf("accept after the timeout: got changed %v, %v; want false", changed, err)
			}
		})
	}
}

func closeWith(at time.Time, reason string) func(*DB, string) error {
	return func(db *DB, id string) error {
		_, err := db.CloseHandoff(context.Background(), id, reason, at.Add(10*time.Second))
		return err
	}
}

func accept(at time.Time, then func(*DB, string) error) func(*DB, string) error {
	return func(db *DB, id string) error {
		if _, err := db.MarkHandoffAccepted(context.Background(), id, at.Add(5*time.Second)); err != nil {
			return err
		}
		return then(db, id)
	}
}

func mark(at time.Time, target string, then func(*DB, string) error) func(*DB, string) error {
	return func(db *DB, id string) error {
		if err := db.MarkDelivered(context.Background(), id, target, at.Add(time.Second)); err != nil {
			return err
		}
		return then(db, id)
	}
}
