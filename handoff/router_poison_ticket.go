package handoff

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/baton-chat/baton/store"
)

// poisonYieldsTo are the tickets of a handoff that stand for its
// router_poison ticket (docs/notify-webhook.md §1.3: a handoff gets one
// ticket): notify_failed (it ended, unaccepted, before the message was
// given up) and dealer_failed (its 상담톡 dealer was failed over to the
// sinks, which then kept failing: that ticket, opened first, is the one
// whose closing ends the handoff, and it is announced instead).
var poisonYieldsTo = []string{ticketNotifyFailed, ticketDealerFailed}

// ticketCreatedMsg is the outbox message that has the router announce
// ticket id to the notify sinks (ticketCreated).
func ticketCreatedMsg(id string, at time.Time) store.OutboxMsg {
	return store.OutboxMsg{ID: store.NewID(at), Subject: SubjectTicket(id, TicketCreated), Payload: []byte(id), CreatedAt: at}
}

// isRequest reports whether subject is a handoff's request.
func isRequest(subject string) bool { return strings.HasPrefix(subject, SubjectRequest("")) }

// openPoisonTicket records the router_poison ticket of msg, given up with
// detail, unless its handoff has a ticket of poisonYieldsTo. When msg is
// the request of a handoff still waiting that no notify sink acknowledged
// (announces), the
// agents must hear of it as of a notify_failed ticket: the ticket's
// ticket.created message is queued with it, or, when the handoff's
// dealer_failed ticket stands for it, that ticket's. A router_poison
// ticket of any other message is read in the admin API only: in
// particular one of a ticket's own ticket.created message, which is never
// announced again, so a sink that keeps failing ends the chain there (the
// message is counted in baton_router_poison_total and logged). The ticket's
// id is msg's (poisonTicketID), so msg given up again opens none. opened
// reports that this call wrote the ticket, announced that an announcement
// was queued. It returns the store's error.
func (r *Router) openPoisonTicket(ctx context.Context, msg jetstream.Msg, detail string, log *slog.Logger) (opened, announced bool, err error) {
	now := r.now()
	t := store.Ticket{ID: poisonTicketID(msg, now), Reason: ticketRouterPoison, Detail: detail, CreatedAt: now}
	h, ok, err := r.db.Handoff(ctx, string(msg.Data()))
	if err != nil {
		return false, false, fmt.Errorf("handoff: router: %s ticket: %w", ticketRouterPoison, err)
	}
	if ok {
		t.HandoffID, t.UserKey, t.Queue, t.Code, t.ContactPref, t.Test = h.ID, h.UserKey, h.Queue, h.Code, h.ContactPref, h.Test
	}
	announce := false
	// Only a request given up while the user still waited, unanswered,
	// reaches the agents: one the user cancelled (or that an agent took)
	// meanwhile owes nobody a call back; a wait timeout has its own
	// notify_failed ticket, which this one yields to.
	if ok && isRequest(msg.Subject()) && h.EndedAt.IsZero() && h.AcceptedAt.IsZero() {
		if announce, err = r.noSinkTold(ctx, h.ID); err != nil {
			return false, false, err
		}
	}
	var out []store.OutboxMsg
	if announce {
		out = append(out, ticketCreatedMsg(t.ID, now))
	}
	created, err := r.db.OpenTicketUnless(ctx, t, poisonYieldsTo, out...)
	if err != nil {
		return false, false, fmt.Errorf("handoff: router: %w", err)
	}
	switch {
	case created:
		r.wakeOutbox()
		return true, announce, nil
	case announce && strings.HasPrefix(h.Target, "dealer:"):
		// The failed-over handoff's dealer_failed ticket was opened
		// unannounced (the handoff itself was to reach the sinks).
		queued, err := r.db.AnnounceHandoffTicket(ctx, h.ID, ticketDealerFailed, func(id string) store.OutboxMsg {
			return ticketCreatedMsg(id, now)
		})
		if err != nil {
			return false, false, fmt.Errorf("handoff: router: %w", err)
		}
		if queued {
			log.Warn("router: the sinks never took the failed-over handoff; announcing its dealer_failed ticket", "handoff", h.ID)
			r.wakeOutbox()
		}
		return false, queued, nil
	}
	return false, false, nil
}

// poisonTicketID is the id of the router_poison ticket of msg, the same on
// every delivery of msg: a delivery after one whose ticket committed but
// whose Term never reached JetStream (the router stopped or died between
// the two, or the Term was lost) finds that ticket, and the insert's ON
// CONFLICT DO NOTHING keeps it msg's only one, also when it names no
// handoff (a ticket's own ticket.created, an undecodable payload). msg is
// known by its Nats-Msg-Id, the id of the outbox row the relay published
// (so a row published twice, past the stream's duplicate window, is one
// message too), and the id takes that row's time; a message without one
// (published by hand) is known by its stream and stream sequence, and the
// id takes its time in the stream. A msg without metadata gets a new id.
func poisonTicketID(msg jetstream.Msg, now time.Time) string {
	if row := msg.Headers().Get(jetstream.MsgIDHeader); row != "" {
		if at, ok := store.IDTime(row); ok {
			return store.IDFrom(at, ticketRouterPoison+":outbox:"+row)
		}
	}
	meta, err := msg.Metadata()
	if err != nil {
		return store.NewID(now)
	}
	return store.IDFrom(meta.Timestamp, fmt.Sprintf("%s:stream:%s:%d", ticketRouterPoison, meta.Stream, meta.Sequence.Stream))
}

// noSinkTold reports whether no notify sink's 2xx to the request of
// handoff id is recorded (a dealer's marks do not count): then no agent
// saw it.
func (r *Router) noSinkTold(ctx context.Context, id string) (bool, error) {
	done, err := r.db.Deliveries(ctx, id)
	if err != nil {
		return false, fmt.Errorf("handoff: router: %w", err)
	}
	for target := range done {
		if store.RequestDelivery(target) && !strings.HasPrefix(target, "dealer:") {
			return false, nil
		}
	}
	return true, nil
}
