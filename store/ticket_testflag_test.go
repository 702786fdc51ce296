package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
)

// TestTicketsOfAHandoffKeepItsTestFlag: a ticket opened for a handoff (no
// notify sink acknowledged it, its dealer never did, the router failed its
// dealer over, or the router's own no_sink ticket) is marked test when the
// handoff came from bot-test or development-channel traffic, so agents and
// the notify sinks never take a tester for a customer; a customer's handoff
// gives a ticket that is not.
func TestTicketsOfAHandoffKeepItsTestFlag(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)
	for i, tc := range handoffTicketOpeners(ctx, at) {
		for j, test := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s, test %v", tc.name, test), func(t *testing.T) {
				db, _ := openTestDB(t, Options{})
				key := fmt.Sprintf("u-ttest%d-%d", i, j)
				h := Handoff{ID: fmt.Sprintf("01HTTEST%d%d", i, j), Code: fmt.Sprintf("Q%d%d", i, j), UserKey: key,
					Queue: "vip", Target: tc.target, Reason: "menu", CreatedAt: at, Test: test}
				w := &TurnWrite{User: User{Key: key, FirstSeen: at, LastSeen: at, Test: test},
					Conv:        fsm.Conversation{UserKey: key, State: fsm.StateWaiting, HandoffID: h.ID, Queue: "vip"},
					Turn:        Turn{ID: NewID(at), UserKey: key, At: at, State: fsm.StateWaiting, Test: test},
					OpenHandoff: &h}
				if err := db.Commit(ctx, w); err != nil {
					t.Fatal(err)
				}
				if got, ok, err := db.Handoff(ctx, h.ID); err != nil || !ok || got.Test != test {
					t.Fatalf("Handoff: got test %v (found %v, %v), want %v", got.Test, ok, err, test)
				}
				if created, err := tc.open(db, h); err != nil || !created {
					t.Fatalf("open the ticket: got %v, %v; want a ticket", created, err)
				}
				tk, ok, err := db.TicketByID(ctx, "T"+h.ID)
				if err != nil || !ok || tk.Test != test {
					t.Errorf("TicketByID: got test %v (found %v, %v), want %v", tk.Test, ok, err, test)
				}
				list, err := db.ListTickets(ctx, TicketFilter{Status: TicketStatusOpen})
				if err != nil || len(list) != 1 || list[0].Test != test {
					t.Errorf("ListTickets: got %+v, %v; want one ticket with test %v", list, err, test)
				}
			})
		}
	}
}
