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
	var (
		o   fsm.Outcome
		err error
	)
	if ha, ok := d.app.(HandoffApplier); ok {
		o, err = ha.ApplyFor(ctx, h.UserKey, h.ID, event, reason)
	} else {
		o, err = d.app.Apply(ctx, h.UserKey, event, reason)
	}
	if errors.Is(err, fsm.ErrNoTransition) {
		log.Info("dealer event no longer applies to the conversation; nothing changed", "lifecycle_event", event)
	}
	return o, err
}
