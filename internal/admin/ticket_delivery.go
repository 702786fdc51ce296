package admin

import (
	"context"

	"github.com/baton-chat/baton/store"
)

// Answer delivery outcomes, the "delivery" field of POST
// /admin/tickets/{id}/answer.
const (
	// DeliveryQueued: the answer waits for the Event API deliverer, which
	// sends it to the user through the ticket_reply event block.
	DeliveryQueued = "queued"
	// DeliveryNotDeliverable: the answer is recorded but cannot reach the
	// user in the chat; "delivery_reason" says why (the agent may call).
	DeliveryNotDeliverable = "not_deliverable"
)

// AnswerDelivery is implemented by a Tickets that can tell whether an
// answered ticket's answer will reach its user. The answer route adds its
// verdict to the response; without it the response has no "delivery".
type AnswerDelivery interface {
	// AnswerDelivery returns DeliveryQueued, or DeliveryNotDeliverable with
	// a short machine-readable reason (event_api_disabled, no_event,
	// no_budget, no_user, test, not_friend, no_bot), for answered ticket t.
	// It returns the store's error, wrapped, when the user cannot be read.
	AnswerDelivery(ctx context.Context, t store.Ticket) (delivery, reason string, err error)
}

// addDelivery puts the answer's delivery verdict into out when Tickets can
// give one. A failure to tell is logged and leaves the field out: the answer
// is recorded either way.
func (s *Server) addDelivery(ctx context.Context, out map[string]any, t store.Ticket) {
	ad, ok := s.opts.Tickets.(AnswerDelivery)
	if !ok {
		return
	}
	delivery, reason, err := ad.AnswerDelivery(ctx, t)
	if err != nil {
		s.log.Error("admin: ticket answer delivery", "ticket", t.ID, "err", err)
		return
	}
	out["delivery"] = delivery
	if reason != "" {
		out["delivery_reason"] = reason
	}
}
