package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
)

// handoffTicketOpener opens the ticket "T"+h.ID for handoff h, whose
// target must be target, the way one kind of ticket for a handoff is
// opened; created is false when none was.
type handoffTicketOpener struct {
	name, target string
	open         func(db *DB, h Handoff) (created bool, err error)
}

// handoffTicketOpeners are the tickets opened for a handoff: no notify sink
// acknowledged it, its dealer never did (at the wait timeout), the router
// failed its dealer over, and the router's own no_sink ticket (the router
// fills that one from the handoff). at is when the handoff ends.
func handoffTicketOpeners(ctx context.Context, at time.Time) []handoffTicketOpener {
	ends := []string{fsm.EventWaitTimeout}
	return []handoffTicketOpener{
		{"notify_failed", "notify", func(db *DB, h Handoff) (bool, error) {
			if err := closeWith(at, fsm.EventWaitTimeout)(db, h.ID); err != nil {
				return false, err
			}
			return db.OpenNotifyUnansweredTicket(ctx, Ticket{ID: "T" + h.ID, HandoffID: h.ID, Reason: "notify_failed"}, ends)
		}},
		{"dealer_failed at the wait timeout", "dealer:acme", func(db *DB, h Handoff) (bool, error) {
			if err := closeWith(at, fsm.EventWaitTimeout)(db, h.ID); err != nil {
				return false, err
			}
			return db.OpenWaitTimeoutTicket(ctx, Ticket{ID: "T" + h.ID, HandoffID: h.ID, Reason: "dealer_failed"}, fsm.EventWaitTimeout)
		}},
		{"dealer_failed by the router", "dealer:acme", func(db *DB, h Handoff) (bool, error) {
			return db.FailDealerOver(ctx, Ticket{ID: "T" + h.ID, HandoffID: h.ID, Reason: "dealer_failed"}, "dealer:acme:failed", at)
		}},
		{"no_sink", "notify", func(db *DB, h Handoff) (bool, error) {
			return db.OpenTicket(ctx, Ticket{ID: "T" + h.ID, HandoffID: h.ID, UserKey: h.UserKey, Queue: h.Queue,
				Code: h.Code, Reason: "no_sink", ContactPref: h.ContactPref, Test: h.Test})
		}},
	}
}

// TestTicketsOfAHandoffReadBackTestAndContactPref: a ticket opened for a
// handoff (no notify sink acknowledged it, its dealer never did, the router
// failed its dealer over, or the router's own no_sink ticket) carries the
// handoff's test flag, so agents and the notify sinks never take a tester
// for a customer, and the preference the user stated during the intake, so
// the agent answers the way they asked; a user_message ticket carries its
// own. Every reader of the handoffs and tickets tables reads both back.
func TestTicketsOfAHandoffReadBackTestAndContactPref(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	at := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)
	openers := append(handoffTicketOpeners(ctx, at), handoffTicketOpener{"user_message", "notify",
		func(db *DB, h Handoff) (bool, error) {
			op := OpenTicketOp(&Ticket{ID: "T" + h.ID, UserKey: h.UserKey, Queue: h.Queue, Code: h.Code,
				Message: "문자로 주세요", ContactPref: h.ContactPref, Test: h.Test, CreatedAt: at})
			return true, db.Write(ctx, func(tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, op.SQL, op.Args...)
				return err
			})
		}})
	kinds := []struct {
		test bool
		pref string
	}{{true, fsm.ContactPrefSMS}, {false, fsm.ContactPrefChat}, {false, ""}}
	for i, tc := range openers {
		for j, k := range kinds {
			t.Run(fmt.Sprintf("%s, test %v, %q", tc.name, k.test, k.pref), func(t *testing.T) {
				db, _ := openTestDB(t, Options{})
				key := fmt.Sprintf("u-tread%d-%d", i, j)
				h := Handoff{ID: fmt.Sprintf("01HTREAD%d%d", i, j), Code: fmt.Sprintf("R%d%d", i, j), UserKey: key,
					Queue: "vip", Target: tc.target, Reason: "menu", CreatedAt: at, Test: k.test, ContactPref: k.pref}
				w := &TurnWrite{User: User{Key: key, FirstSeen: at, LastSeen: at, Test: k.test},
					Conv:        fsm.Conversation{UserKey: key, State: fsm.StateWaiting, HandoffID: h.ID, Queue: "vip"},
					Turn:        Turn{ID: NewID(at), UserKey: key, At: at, State: fsm.StateWaiting, Test: k.test},
					OpenHandoff: &h}
				if err := db.Commit(ctx, w); err != nil {
					t.Fatal(err)
				}
				for _, r := range handoffReaders(ctx) {
					got, err := r.read(db, h)
					if err != nil || got.ID != h.ID || got.Test != k.test || got.ContactPref != k.pref {
						t.Errorf("%s: got %s test %v, contact preference %q (%v); want %s test %v, %q",
							r.name, got.ID, got.Test, got.ContactPref, err, h.ID, k.test, k.pref)
					}
				}
				if created, err := tc.open(db, h); err != nil || !created {
					t.Fatalf("open the ticket: got %v, %v; want a ticket", created, err)
				}
				for _, r := range ticketReaders(ctx) {
					got, err := r.read(db, "T"+h.ID)
					if err != nil || got.Test != k.test || got.ContactPref != k.pref {
						t.Errorf("%s: got test %v, contact preference %q (%v); want test %v, %q",
							r.name, got.Test, got.ContactPref, err, k.test, k.pref)
					}
				}
			})
		}
	}
}

// handoffReaders read the open handoff h back, one way each the store
// reads the handoffs table.
func handoffReaders(ctx context.Context) []struct {
	name string
	read func(db *DB, h Handoff) (Handoff, error)
} {
	one := func(got Handoff, ok bool, err error) (Handoff, error) {
		if err == nil && !ok {
			err = errors.New("not found")
		}
		return got, err
	}
	return []struct {
		name string
		read func(db *DB, h Handoff) (Handoff, error)
	}{
		{"Handoff", func(db *DB, h Handoff) (Handoff, error) { return one(db.Handoff(ctx, h.ID)) }},
		{"OpenHandoff", func(db *DB, h Handoff) (Handoff, error) { return one(db.OpenHandoff(ctx, h.UserKey)) }},
		{"ListHandoffs", func(db *DB, h Handoff) (Handoff, error) {
			list, err := db.ListHandoffs(ctx, HandoffFilter{Code: h.Code})
			if err == nil && len(list) != 1 {
				err = fmt.Errorf("%d handoffs, want 1", len(list))
			}
			if err != nil {
				return Handoff{}, err
			}
			return list[0], nil
		}},
	}
}

// ticketReaders read the open ticket id back, one way each the store reads
// the tickets table.
func ticketReaders(ctx context.Context) []struct {
	name string
	read func(db *DB, id string) (Ticket, error)
} {
	only := func(id string, list []Ticket, err error) (Ticket, error) {
		if err == nil && (len(list) != 1 || list[0].ID != id) {
			err = fmt.Errorf("%d tickets, want %s alone", len(list), id)
		}
		if err != nil {
			return Ticket{}, err
		}
		return list[0], nil
	}
	return []struct {
		name string
		read func(db *DB, id string) (Ticket, error)
	}{
		{"TicketByID", func(db *DB, id string) (Ticket, error) {
			got, ok, err := db.TicketByID(ctx, id)
			if err == nil && !ok {
				err = errors.New("not found")
			}
			return got, err
		}},
		{"Tickets", func(db *DB, id string) (Ticket, error) {
			list, err := db.Tickets(ctx, TicketStatusOpen)
			return only(id, list, err)
		}},
		{"ListTickets", func(db *DB, id string) (Ticket, error) {
			list, err := db.ListTickets(ctx, TicketFilter{Status: TicketStatusOpen})
			return only(id, list, err)
		}},
	}
}
