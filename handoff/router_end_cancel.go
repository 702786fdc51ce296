package handoff

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/baton-chat/baton/fsm"
	"github.com/nats-io/nats.go/jetstream"
)

// endedCancel sends the dealer of handoff id the cancel (dealer contract
// §2.2) for an ended event (EventEnded) that the dealer did not bring
// itself: Baton's side ended a handoff the dealer still holds — an admin's
// POST /admin/handoffs/{id}/end or an agent's end link (reason admin or
// agent_link), the idle timer (idle) — so that the dealer drops the user
// from its queue, or ends its session, instead of keeping a user Baton has
// put back with the bot. Nothing is sent when the handoff is gone or not a
// dealer's, when the dealer ended it (its session.ended or blocks.returned:
// fsm.IsDealerEnd), or when the router failed it over from the dealer (its
// ":failed" mark: the agents owned it, and the dealer already counts it
// failed). The cancel's reason is the handoff's end reason; it is sent once
// (sendCancel's mark).
func (r *Router) endedCancel(ctx context.Context, msg jetstream.Msg, id string, log *slog.Logger) error {
	h, found, err := r.db.Handoff(ctx, id)
	if err != nil {
		return fmt.Errorf("handoff: router: %w", err)
	}
	name, isDealer := strings.CutPrefix(h.Target, "dealer:")
	if !found || !isDealer || h.EndedAt.IsZero() || fsm.IsDealerEnd(h.EndReason) {
		return nil
	}
	done, err := r.db.Deliveries(ctx, id)
	if err != nil {
		return fmt.Errorf("handoff: router: %w", err)
	}
	if _, failed := done["dealer:"+name+":failed"]; failed {
		return nil
	}
	return r.sendCancel(ctx, msg, h, name, done, log)
}
