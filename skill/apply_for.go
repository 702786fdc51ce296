package skill

import (
	"context"

	"github.com/baton-chat/baton/fsm"
)

// handoffKey carries ApplyFor's handoff id into Apply.
type handoffKey struct{}

// ApplyFor is Apply for an event about one handoff — a timer that fires for
// it: the event applies only while the conversation still holds handoffID,
// checked under the user's lock, so it can never touch a newer handoff the
// user opened meanwhile. Otherwise it returns an error wrapping
// fsm.ErrNoTransition, like any event that no longer applies.
func (s *Server) ApplyFor(ctx context.Context, userKey, handoffID, event, reason string) (fsm.Outcome, error) {
	return s.Apply(context.WithValue(ctx, handoffKey{}, handoffID), userKey, event, reason)
}
