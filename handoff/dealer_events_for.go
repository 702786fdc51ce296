package handoff

import (
	"context"
	"errors"
	"log/slog"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// applyFor steps event for h through the lifecycle only while the user's
// conversation still holds h, checked under the user's lock when app is a
// HandoffApplier (as ApplyAction does for links): a dealer's late event
// about an old handoff must not act on a newer handoff the user opened
// meanwhile. An event that no longer applies returns an error wrapping
// fsm.ErrNoTransition, answered already_applied (docs/dealer-contract.md).
func (d *DealerEvents) applyFor(ctx context.Context, h store.Handoff, event, reason string, log *slog.Logger) (fsm.Outcome, error) {
	return d.applyWithAgent(ctx, h, event, reason, nil, log)
}

// handoffApplierWith is a HandoffApplier that also commits ops in the
// event's own transaction (skill.Server).
type handoffApplierWith interface {
	ApplyForWith(ctx context.Context, userKey, handoffID, event, reason string, ops []store.Op, outbox []store.OutboxMsg) (fsm.Outcome, error)
}

// applyWithAgent is applyFor that records the dealer's agent, when not nil,
// in the event's own transaction: an accept refused for a failover then
// records no agent either. An applier without ApplyForWith gets the agent
// written after the event.
func (d *DealerEvents) applyWithAgent(ctx context.Context, h store.Handoff, event, reason string, agent *store.Agent, log *slog.Logger) (fsm.Outcome, error) {
	var (
		o   fsm.Outcome
		err error
	)
	switch ha := d.app.(type) {
	case handoffApplierWith:
		var ops []store.Op
		if agent != nil {
			ops = []store.Op{store.SetHandoffAgentOp(h.ID, *agent)}
		}
		o, err = ha.ApplyForWith(ctx, h.UserKey, h.ID, event, reason, ops, nil)
		agent = nil
	case HandoffApplier:
		o, err = ha.ApplyFor(ctx, h.UserKey, h.ID, event, reason)
	default:
		o, err = d.app.Apply(ctx, h.UserKey, event, reason)
	}
	if err == nil && agent != nil {
		if _, err := d.store.SetHandoffAgent(ctx, h.ID, *agent); err != nil {
			return o, err
		}
	}
	if errors.Is(err, fsm.ErrNoTransition) {
		log.Info("dealer event no longer applies to the conversation; nothing changed", "lifecycle_event", event)
	}
	return o, err
}

// setAgent records agent (when not nil) on handoff h. When it is not
// recorded because h ended or was failed over from its dealer after the
// event read it, late is the event's answer (ignored or already_applied);
// otherwise late is "".
func (d *DealerEvents) setAgent(ctx context.Context, h store.Handoff, agent *store.Agent, log *slog.Logger) (late string, err error) {
	if agent == nil {
		return "", nil
	}
	recorded, err := d.store.SetHandoffAgent(ctx, h.ID, *agent)
	if err != nil || recorded {
		return "", err
	}
	if gone, err := d.failedOver(ctx, h, log); err != nil || gone {
		return EventIgnored, err
	}
	log.Info("dealer event on a handoff that ended meanwhile; its agent is not recorded")
	return EventAlreadyApplied, nil
}
