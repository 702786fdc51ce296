package handoff

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// Notices loads what an Event API message says when Kakao runs its event
// block, and decides whether it still applies. skill.Server uses it for
// turns on event blocks.
type Notices struct {
	DB *store.DB
	// StaleAfter: a message whose block runs this long after it was sent
	// says nothing. Default 24 h.
	StaleAfter time.Duration
}

// Notice returns the notice the Event API params' id stands for, for
// userKey whose conversation is in state, or nil when there is none or it no
// longer applies; ops (marking the notification stale) are committed with
// the turn. It returns the store's error on a failed read.
func (n Notices) Notice(ctx context.Context, id, userKey string, state fsm.State, now time.Time) (*fsm.Notice, []store.Op, error) {
	if id == "" {
		return nil, nil, nil
	}
	nt, ok, err := n.DB.EventNotification(ctx, id, userKey)
	if err != nil || !ok {
		return nil, nil, err
	}
	if nt.Status != store.NotificationSent {
		return nil, nil, nil // skipped, failed, or already found stale
	}
	stale := func(why string) (*fsm.Notice, []store.Op, error) {
		return nil, []store.Op{store.MarkNotificationStaleOp(nt.ID, why, now)}, nil
	}
	after := n.StaleAfter
	if after <= 0 {
		after = 24 * time.Hour
	}
	if !nt.SentAt.IsZero() && now.Sub(nt.SentAt) > after {
		return stale("too old when the block ran")
	}
	busy := state == fsm.StateWaiting || state == fsm.StateHuman
	switch nt.Kind {
	case store.NotifyReopen:
		if busy {
			return stale("the user is with a human or waiting")
		}
		// The ref is the queue that opened (TimerConsumer.reopen): the
		// message's 상담원 연결 hands off there.
		return &fsm.Notice{Kind: nt.Kind, Queue: nt.Ref}, nil, nil
	case store.NotifyWaitTimeout:
		if busy {
			return stale("the user is with a human or waiting")
		}
		// The conversation's queue was cleared when the handoff closed;
		// the handoff row still knows it, for the apology's {hours}.
		h, _, err := n.DB.Handoff(ctx, nt.Ref)
		if err != nil {
			return nil, nil, fmt.Errorf("handoff: notice %s: %w", nt.ID, err)
		}
		return &fsm.Notice{Kind: nt.Kind, Queue: h.Queue}, nil, nil
	case store.NotifyTicketReply:
		_, answer, found, err := n.DB.TicketAnswer(ctx, nt.Ref)
		if err != nil {
			return nil, nil, fmt.Errorf("handoff: notice %s: %w", nt.ID, err)
		}
		if !found || strings.TrimSpace(answer) == "" {
			return stale("the ticket has no answer")
		}
		return &fsm.Notice{Kind: nt.Kind, Answer: answer}, nil, nil
	case store.NotifyCSAT:
		if busy {
			return stale("the user is with a human or waiting")
		}
		done, err := n.DB.CSATAnswered(ctx, nt.Ref)
		if err != nil {
			return nil, nil, fmt.Errorf("handoff: notice %s: %w", nt.ID, err)
		}
		if done {
			return stale("already rated")
		}
		return &fsm.Notice{Kind: nt.Kind, Handoff: nt.Ref}, nil, nil
	}
	return stale("unknown kind")
}
