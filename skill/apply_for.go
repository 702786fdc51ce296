package skill

import (
	"context"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// handoffKey carries ApplyFor's handoff id into Apply.
type handoffKey struct{}

// whenKey carries ApplyWhen's condition into Apply.
type whenKey struct{}

// alsoKey carries ApplyForWith's further writes into Apply.
type alsoKey struct{}

// also is what ApplyForWith commits with the event.
type also struct {
	ops    []store.Op
	outbox []store.OutboxMsg
}

// ApplyFor is Apply for an event about one handoff — a timer that fires for
// it: the event applies only while the conversation still holds handoffID,
// checked under the user's lock, so it can never touch a newer handoff the
// user opened meanwhile. Otherwise it returns an error wrapping
// fsm.ErrNoTransition, like any event that no longer applies.
func (s *Server) ApplyFor(ctx context.Context, userKey, handoffID, event, reason string) (fsm.Outcome, error) {
	return s.Apply(context.WithValue(ctx, handoffKey{}, handoffID), userKey, event, reason)
}

// ApplyForWith is ApplyFor that also commits ops and outbox in the event's
// own transaction: closing the dealer_failed ticket of the handoff the
// event ends, say. An op that fails (store.Op.MustAffect) fails the event
// with an error wrapping store.ErrConflict, and nothing is written.
func (s *Server) ApplyForWith(ctx context.Context, userKey, handoffID, event, reason string, ops []store.Op, outbox []store.OutboxMsg) (fsm.Outcome, error) {
	return s.ApplyFor(context.WithValue(ctx, alsoKey{}, also{ops: ops, outbox: outbox}), userKey, handoffID, event, reason)
}

// ApplyWhen is Apply for an event that applies only while still reports
// true, asked under the user's lock once the conversation is loaded: a timer
// firing that a turn may have replaced meanwhile (each turn in after_hours
// re-schedules that timer under a new id), which the firing's own read,
// taken before the lock, cannot see. When still reports false it returns an
// error wrapping fsm.ErrNoTransition and writes nothing; an error of still
// is returned as the event's.
func (s *Server) ApplyWhen(ctx context.Context, userKey, event, reason string, still func(context.Context) (bool, error)) (fsm.Outcome, error) {
	return s.Apply(context.WithValue(ctx, whenKey{}, still), userKey, event, reason)
}
