package handoff

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/baton-chat/baton/store"
)

// failedOver reports whether h is no longer its dealer's: the router
// recorded the dealer's final failure and fell back to the notify sinks and
// a dealer_failed ticket, so the agents (and the user, told the request
// went to them as an inquiry) own it now. Every later event of that dealer
// about h — a session.started after its outage, an agent.assigned, a
// session.ended — is answered ignored and changes nothing: the user is not
// moved to human, no agent is recorded and the handoff stays open for the
// agents' accept and end links.
func (d *DealerEvents) failedOver(ctx context.Context, h store.Handoff, log *slog.Logger) (bool, error) {
	if !h.EndedAt.IsZero() {
		return false, nil // ended: the events' own already_applied answer
	}
	failed, err := d.store.DealerFailed(ctx, h.ID)
	if err != nil {
		return false, fmt.Errorf("handoff: dealer event on %s: %w", h.ID, err)
	}
	if failed {
		log.Warn("dealer event on a handoff failed over to the notify sinks ignored; the dealer should close its session")
	}
	return failed, nil
}
