package skill

import (
	"context"
	"errors"
	"fmt"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// ErrNoConversation is returned by Apply for a user Baton has never seen.
var ErrNoConversation = errors.New("skill: no conversation")

// Apply steps a lifecycle event that does not come from a user turn — an
// agent's accept link, a dealer's session.ended, a wait timeout — and commits
// the new state with its handoff changes and outbox messages, serialised with
// the user's turns. It returns ErrNoConversation for an unknown user and an
// error wrapping fsm.ErrNoTransition when the event does not apply in the
// conversation's state (a late or repeated event: callers treat that as
// already applied).
func (s *Server) Apply(ctx context.Context, userKey, event, reason string) (fsm.Outcome, error) {
	b := s.current.Load()
	mu := s.locks.lock(userKey)
	defer mu.Unlock()
	for attempt := 0; ; attempt++ {
		u, conv, found, err := s.store.Load(ctx, userKey)
		if err != nil {
			return fsm.Outcome{}, fmt.Errorf("skill: apply %s: %w", event, err)
		}
		if !found {
			return fsm.Outcome{}, ErrNoConversation
		}
		if want, ok := ctx.Value(handoffKey{}).(string); ok && conv.HandoffID != want {
			return fsm.Outcome{}, fmt.Errorf("skill: apply %s: handoff %s is no longer the conversation's: %w", event, want, fsm.ErrNoTransition)
		}
		if still, ok := ctx.Value(whenKey{}).(func(context.Context) (bool, error)); ok {
			holds, err := still(ctx)
			if err != nil {
				return fsm.Outcome{}, fmt.Errorf("skill: apply %s: %w", event, err)
			}
			if !holds {
				return fsm.Outcome{}, fmt.Errorf("skill: apply %s: its condition no longer holds: %w", event, fsm.ErrNoTransition)
			}
		}
		now := s.now()
		out, err := b.engine.Apply(conv, event, now, reason)
		if err != nil {
			return fsm.Outcome{}, err
		}
		out.Conversation.UserKey = userKey
		out.Conversation.Version = conv.Version
		w := &store.TurnWrite{User: u, Conv: out.Conversation}
		if event == fsm.EventAccepted && conv.HandoffID != "" {
			// An agent taking a failed-over handoff gets the 1:1 idle rule.
			failed, _, err := s.failedOver(ctx, conv.HandoffID)
			if err != nil {
				return fsm.Outcome{}, fmt.Errorf("skill: apply %s: %w", event, err)
			}
			byDealer := reason == fsm.ReasonDealerSession
			if failed && byDealer {
				return fsm.Outcome{}, refusedFailedOver(event, conv.HandoffID)
			}
			w.AcceptHandoff = &store.HandoffAccept{ID: conv.HandoffID, At: now, FailedOver: failed, ByDealer: byDealer}
		}
		if c := out.Close; c != nil && c.ID != "" {
			byDealer := event == fsm.EventEnded && fsm.IsDealerEnd(reason)
			w.EndHandoff = &store.HandoffEnd{ID: c.ID, Reason: c.Reason, At: now, ByDealer: byDealer}
			if byDealer || conv.State == fsm.StateHuman {
				failed, _, err := s.failedOver(ctx, c.ID)
				if err != nil {
					return fsm.Outcome{}, fmt.Errorf("skill: apply %s: %w", event, err)
				}
				if failed && byDealer {
					// The dealer's end yields to the router's failover,
					// as its accept does: the agents own the handoff now.
					return fsm.Outcome{}, refusedFailedOver(event, c.ID)
				}
				// A failed-over handoff's session took place outside the
				// chat, if at all: its end asks no CSAT question.
				w.EndHandoff.FailedOver = failed && conv.State == fsm.StateHuman
			}
		}
		s.handoffs.AddTo(&out, w, now)
		if a, ok := ctx.Value(alsoKey{}).(also); ok {
			w.Ops = append(w.Ops, a.ops...)
			w.Outbox = append(w.Outbox, a.outbox...)
		}
		err = s.store.Commit(ctx, w)
		if errors.Is(err, store.ErrFailedOver) {
			// The router failed the handoff over after the check above.
			return fsm.Outcome{}, fmt.Errorf("skill: apply %s: %w (%w)", event, err, fsm.ErrNoTransition)
		}
		if errors.Is(err, store.ErrConflict) && attempt < maxConflictRetries {
			continue
		}
		if err != nil {
			return fsm.Outcome{}, fmt.Errorf("skill: apply %s: %w", event, err)
		}
		s.waiting.committed(w)
		s.outboxCommitted(w.CommittedOutbox())
		if !u.Test {
			for _, t := range out.Transitions {
				s.metrics.transitions.WithLabelValues(string(t.From), string(t.To), t.Reason).Inc()
			}
		}
		return out, nil
	}
}

// outboxCommitted tells the relay about the outbox rows a commit wrote.
func (s *Server) outboxCommitted(rows []store.OutboxMsg) {
	switch {
	case len(rows) == 0:
	case s.opts.OnCommitted != nil:
		s.opts.OnCommitted(rows)
	case s.opts.OnOutbox != nil:
		s.opts.OnOutbox()
	}
}

// refusedFailedOver is the error of the dealer's own accept or end of
// handoff id after the router failed it over from that dealer: nothing
// changes (store.ErrFailedOver, and fsm.ErrNoTransition for the callers
// that treat it as an event that no longer applies).
func refusedFailedOver(event, id string) error {
	return fmt.Errorf("skill: apply %s: handoff %s: %w (%w)", event, id, store.ErrFailedOver, fsm.ErrNoTransition)
}
