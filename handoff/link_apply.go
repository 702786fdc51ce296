package handoff

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// AdminReason is the transition reason recorded when the admin API accepts
// or ends a handoff (POST /admin/handoffs/{id}/accept, /end), so metrics and
// the handoff's end_reason tell it apart from a followed link (LinkReason).
const AdminReason = "admin"

// ReasonTicketClosed is the end reason of a handoff ended because its
// dealer_failed ticket was closed (POST /admin/tickets/{id}/close): the
// agents owned it through that ticket.
const ReasonTicketClosed = "ticket_closed"

// ErrUnknownHandoff is returned (wrapped) by ApplyAction for a handoff id
// that does not exist.
var ErrUnknownHandoff = errors.New("handoff: no such handoff")

// ExternalHandoffs accepts and closes handoffs no conversation holds (the
// dealer's external ones), queuing their announcement in the same
// transaction; *store.DB satisfies it.
type ExternalHandoffs interface {
	MarkHandoffAccepted(ctx context.Context, id string, at time.Time, out ...store.OutboxMsg) (bool, error)
	CloseHandoff(ctx context.Context, id, reason string, at time.Time, out ...store.OutboxMsg) (bool, error)
}

// ApplyAction does to handoff id what following a signed link for action
// does: LinkAccept steps fsm.EventAccepted (waiting → human), LinkEnd
// fsm.EventEnded (human or waiting → bot), recording reason on the
// transition. It returns the handoff as it was loaded and whether the
// conversation changed. Nothing changes (changed false, no error) when the
// handoff has ended, when an accept finds it already accepted, or when the
// event no longer applies: a handoff names one chat, and once it is over the
// user's conversation may belong to a newer handoff it must not touch (with
// a HandoffApplier, that is checked under the user's lock). An external
// handoff (ExternalReason), which no conversation holds, is accepted or
// closed in the store directly when db is also ExternalHandoffs, with its
// accepted or ended event queued in the outbox. It returns an
// error wrapping ErrUnknownHandoff for an unknown id, or the store's or the
// applier's error, wrapped (neither names the user).
func ApplyAction(ctx context.Context, db HandoffReader, app Applier, id, action, reason string) (h store.Handoff, changed bool, err error) {
	h, ok, err := db.Handoff(ctx, id)
	if err != nil {
		return h, false, fmt.Errorf("handoff: %s %s: load: %w", action, id, err)
	}
	if !ok {
		return h, false, fmt.Errorf("handoff: %s %s: %w", action, id, ErrUnknownHandoff)
	}
	event := fsm.EventAccepted
	if action == LinkEnd {
		event = fsm.EventEnded
	}
	if !h.EndedAt.IsZero() || (action == LinkAccept && !h.AcceptedAt.IsZero()) {
		return h, false, nil
	}
	if ext, ok := db.(ExternalHandoffs); ok && h.Reason == ExternalReason {
		// The dealer opened it for a user who came through the channel's
		// own menu: the conversation never held it (DealerEvents.started),
		// so it is accepted or closed as the dealer's own events do.
		now := time.Now()
		if action == LinkEnd {
			changed, err = ext.CloseHandoff(ctx, h.ID, reason, now, EventMsg(h.ID, EventEnded, now))
		} else {
			changed, err = ext.MarkHandoffAccepted(ctx, h.ID, now, EventMsg(h.ID, EventAccepted, now))
		}
		if err != nil {
			return h, false, fmt.Errorf("handoff: %s %s: %w", action, id, err)
		}
		return h, changed, nil
	}
	if ha, ok := app.(HandoffApplier); ok {
		_, err = ha.ApplyFor(ctx, h.UserKey, h.ID, event, reason)
	} else {
		_, err = app.Apply(ctx, h.UserKey, event, reason)
	}
	switch {
	case errors.Is(err, fsm.ErrNoTransition):
		return h, false, nil
	case err != nil:
		// The user erased while the action waited for their lock: the
		// handoff is gone with them, as if it never was.
		if _, ok, rerr := db.Handoff(ctx, id); rerr == nil && !ok {
			return h, false, fmt.Errorf("handoff: %s %s: erased meanwhile: %w", action, id, ErrUnknownHandoff)
		}
		return h, false, fmt.Errorf("handoff: %s %s: %w", action, id, err)
	}
	return h, true, nil
}

// Issue mints a fresh accept and end link for handoff id, both valid for TTL
// from now, and returns them with their expiry (what the admin API re-issues
// when an agent lost the notification or its links expired).
func (l *Links) Issue(id string) (accept, end string, exp time.Time) {
	ttl := l.TTL
	if ttl <= 0 {
		ttl = DefaultLinkTTL
	}
	exp = time.Unix(l.now().Add(ttl).Unix(), 0).UTC() // tokens carry whole seconds
	return l.base + "/a/" + l.Token(id, LinkAccept, exp), l.base + "/a/" + l.Token(id, LinkEnd, exp), exp
}
