package skill

import (
	"context"
	"fmt"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// EventParam is the userRequest.params key carrying the Baton id of an
// Event API message into its event block's turn (handoff.EventParam).
const EventParam = "baton_id"

// Notices loads the content of an Event API message for its event block's
// turn. handoff.Notices satisfies it.
type Notices interface {
	// Notice returns the notice id stands for, for userKey in state, or nil
	// when it no longer applies; ops are committed with the turn. It returns
	// an error only when the store cannot be read.
	Notice(ctx context.Context, id, userKey string, state fsm.State, now time.Time) (*fsm.Notice, []store.Op, error)
}

// EventEngine is an Engine that answers Event API blocks. *fsm.Engine
// satisfies it.
type EventEngine interface {
	Event(c fsm.Conversation, in fsm.Input, n *fsm.Notice) fsm.Outcome
}

// stepOrEvent runs the engine for one turn. A turn that carries Baton's id
// is the event block turn of an Event API message, whatever the block is
// called: only Baton puts EventParam into a message's params, and Kakao
// hands them to the block it runs. It answers the message's content, or
// nothing when the id is unknown or the message went stale. Every other turn
// is an ordinary Step (a block named like an event stays silent there).
func (s *Server) stepOrEvent(ctx context.Context, p *Payload, e Engine, conv fsm.Conversation, in fsm.Input) (fsm.Outcome, []store.Op, error) {
	id := p.Param(EventParam)
	ee, ok := e.(EventEngine)
	if id == "" || !ok || s.opts.Notices == nil {
		return e.Step(conv, in), nil, nil
	}
	n, ops, err := s.opts.Notices.Notice(ctx, id, conv.UserKey, conv.State, in.Now)
	if err != nil {
		return fsm.Outcome{}, nil, fmt.Errorf("skill: event notice: %w", err)
	}
	return ee.Event(conv, in, n), ops, nil
}
