package handoff

import (
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// CSATDelay is how long after a human session ends by an event (a dealer's
// session.ended, an agent's end link) the CSAT question is sent by the Event
// API, so that a return block fired with the end reaches the user first.
const CSATDelay = time.Minute

// addCSAT records what a human session's end means for CSAT, in the same
// commit as the step that produced o:
//   - a CSAT score on a user turn (Outcome.CSAT), tapped or typed, is
//     stored against the handoff its question named — not the user's
//     latest handoff, which may be a later one — once per handoff;
//   - a user turn that ended the session and asked the CSAT question about
//     it in its reply marks the handoff asked (for the report's CSAT
//     figures);
//   - a session that ended by an event, not a user turn (the return turn
//     asks in its own reply), leaves a csat notification for the Event API
//     — except an idle close (ReasonIdle), which is silent: nobody ended
//     that session, and a 1:1 chat's user is long back with the bot —
//     except a handoff the router failed over from its dealer
//     (HandoffEnd.FailedOver): the agent worked it outside the chat (a
//     call, a text), so there was no chat session to rate, as its user's
//     turns and the dealer's return block ask nothing either — and except
//     when the Event API cannot send it (NoCSATEvent).
//
// Test traffic is kept out of CSAT.
func (e Effects) addCSAT(o *fsm.Outcome, w *store.TurnWrite, now time.Time) {
	if w.User.Test || w.Turn.Test {
		return
	}
	if w.Turn.ID != "" {
		if a := o.CSAT; a != nil {
			w.Ops = append(w.Ops, store.CSATAnswerOp(w.User.Key, a.Handoff, a.Score, a.Source, false, now))
		}
		if o.Close != nil && o.Close.ID != "" {
			if source, handoff, _ := fsm.ParseCSATPending(o.Conversation.CSATPending); source == fsm.CSATFromReply && handoff == o.Close.ID {
				w.Ops = append(w.Ops, store.CSATAskedOp(o.Close.ID, store.CSATFromReply))
			}
		}
		return
	}
	if e.NoCSATEvent || o.Close == nil || o.Close.ID == "" || o.Close.Reason == ReasonIdle || !endedHumanSession(o) {
		return
	}
	if w.EndHandoff != nil && w.EndHandoff.FailedOver {
		return
	}
	w.Ops = append(w.Ops, store.AddNotificationOp(&store.Notification{
		UserKey: w.User.Key, Kind: store.NotifyCSAT, Ref: o.Close.ID, CreatedAt: now, NotBefore: now.Add(CSATDelay),
	}))
}

// endedHumanSession reports whether o ended a session a human held.
func endedHumanSession(o *fsm.Outcome) bool {
	for _, t := range o.Transitions {
		if t.From == fsm.StateHuman && t.To == fsm.StateBot && t.Event == fsm.EventEnded {
			return true
		}
	}
	return false
}
