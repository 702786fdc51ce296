package handoff

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/baton-chat/baton/store"
)

// ReasonErased is the reason of the dealer cancel sent for a handoff still
// open (waiting, or in a session) when its user was erased
// (docs/dealer-contract.md §2.2).
const ReasonErased = "user_erased"

// SubjectErasureCancel is where a dealer cancel owed for an erased user's
// handoff is announced; the payload is the owed cancel's id
// (store.ErasureCancel), not the handoff id, so neither the erasure's outbox
// delete nor its stream purge removes it. Internal: only the router acts on
// it (docs/nats.md).
func SubjectErasureCancel(id string) string { return "baton.handoff.erased." + id }

// EraseUser erases userKey from db (store.DB.EraseUser) and records, in the
// same transaction, the dealer cancels the erasure would otherwise lose: one
// for the user's open dealer handoff (waiting or in a session, reason
// ReasonErased, at now) and one for each ended dealer handoff whose cancel
// the router has not delivered yet. Each is announced through the outbox on
// SubjectErasureCancel (the relay publishes it once the erasure commits) and
// needs none of the erased rows. If the erasure fails, no cancel is owed. It
// returns what was erased, and the store's errors.
func EraseUser(ctx context.Context, db *store.DB, userKey string, now time.Time) (store.Erasure, error) {
	e, err := db.EraseUserOwing(ctx, userKey, store.CancelOwe{Reason: ReasonErased, Now: now, Msg: erasureCancelOutbox})
	if err != nil {
		return store.Erasure{}, fmt.Errorf("handoff: erase user: %w", err)
	}
	return e, nil
}

// erasureCancelOutbox is the outbox message announcing owed cancel id.
func erasureCancelOutbox(id string, at time.Time) store.OutboxMsg {
	return store.OutboxMsg{ID: store.NewID(at), Subject: SubjectErasureCancel(id), Payload: []byte(id), CreatedAt: at}
}

// erasureCancel sends the dealer the owed cancel id (SubjectErasureCancel)
// and forgets it. A cancel already sent, or owed to a dealer this process
// does not have, is dropped; a dealer's final refusal too (logged), since
// asking again cannot help; and one whose handoff is still in the store,
// since the user still waits on it (a defence: EraseUser records cancels
// only in the erasure's own transaction).
//
// Order against the handoff's request: the cancel's payload is its own id,
// so it may run on another worker than the request (workerOf). It first
// waits until no request of its handoff is in progress (Router.request
// registers before it re-reads the handoff). A request that registers later
// re-reads the handoff after the erasure committed (the cancel is announced
// by the erasure's own transaction) and finds it gone, so it sends nothing;
// that holds for a redelivered request and after a restart too, where
// nothing is in progress. So the dealer never gets the request after the
// cancel.
func (r *Router) erasureCancel(ctx context.Context, msg jetstream.Msg, id string, log *slog.Logger) error {
	c, ok, err := r.db.ErasureCancelByID(ctx, id)
	if err != nil {
		return fmt.Errorf("handoff: router: %w", err)
	}
	if !ok {
		return nil
	}
	if err := r.awaitRequest(ctx, c.Handoff); err != nil {
		return fmt.Errorf("handoff: router: cancel %s (erased user): %w", c.Handoff, err)
	}
	if _, found, err := r.db.Handoff(ctx, c.Handoff); err != nil {
		return fmt.Errorf("handoff: router: %w", err)
	} else if found {
		log.Warn("router: cancel owed for a handoff that was not erased dropped", "handoff", c.Handoff, "dealer", c.Dealer)
		return r.dropErasureCancel(ctx, id)
	}
	d := r.opts.Dealers[c.Dealer]
	if d == nil {
		log.Warn("router: cancel of an erased user's handoff for an unknown dealer dropped", "handoff", c.Handoff, "dealer", c.Dealer)
		return r.dropErasureCancel(ctx, id)
	}
	_ = msg.InProgress()
	h := store.Handoff{ID: c.Handoff, Code: c.Code, Target: "dealer:" + c.Dealer, EndReason: c.Reason, EndedAt: c.At}
	if err := d.Cancel(ctx, h); err != nil {
		r.delivered.WithLabelValues("dealer_cancel", "error").Inc()
		if errors.Is(err, ErrDealerFailed) {
			log.Error("router: dealer refused the cancel of an erased user's handoff; dropped",
				"handoff", c.Handoff, "dealer", c.Dealer, "err", err)
			return r.dropErasureCancel(ctx, id)
		}
		return fmt.Errorf("handoff: router: %s cancel %s (erased user): %w", c.Dealer, c.Handoff, err)
	}
	r.delivered.WithLabelValues("dealer_cancel", "ok").Inc()
	log.Debug("router: erased user's handoff cancelled at the dealer", "handoff", c.Handoff, "dealer", c.Dealer)
	return r.dropErasureCancel(ctx, id)
}

// dropErasureCancel forgets owed cancel id; like mark it outlives a
// cancelled ctx because the side effect already happened.
func (r *Router) dropErasureCancel(ctx context.Context, id string) error {
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := r.db.DropErasureCancel(dctx, id); err != nil {
		return fmt.Errorf("handoff: router: %w", err)
	}
	return nil
}
