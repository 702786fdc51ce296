package store

import (
	"context"
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
