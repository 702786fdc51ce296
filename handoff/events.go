package handoff

import (
	"slices"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// EventMsg returns the outbox message announcing event of handoff id on
// SubjectEvent, payload the id. Write it in the transaction that makes the
// change it announces; its ULID is the JetStream Msg-Id, so a relay retry
// is stored once.
func EventMsg(id, event string, now time.Time) store.OutboxMsg {
	return store.OutboxMsg{ID: store.NewID(now), Subject: SubjectEvent(id, event), Payload: []byte(id), CreatedAt: now}
}

// acceptedHandoff is the handoff a human took in o (waiting → human), or "".
// The caller (skill.Apply) records its accepted_at in the same write.
func acceptedHandoff(o *fsm.Outcome) string {
	c := o.Conversation
	if c.State != fsm.StateHuman || c.HandoffID == "" || !hasEvent(o, fsm.EventAccepted, "") {
		return ""
	}
	return c.HandoffID
}

// closeEvent names the end of the handoff o closes after the last
// transition that left waiting or human for bot: the user's cancel, a wait
// that timed out (the timer, or a one_on_one user back after the return
// gap), a user's turn that came back from a human, or an end by the human
// side (ended, whatever its reason).
func closeEvent(o *fsm.Outcome) string {
	for _, t := range slices.Backward(o.Transitions) {
		if t.To != fsm.StateBot || (t.From != fsm.StateWaiting && t.From != fsm.StateHuman) {
			continue
		}
		switch {
		case t.Event == fsm.EventCancel:
			return EventCancel
		case t.Event == fsm.EventWaitTimeout:
			return EventTimeout
		case t.Event == fsm.EventUserTurn && t.From == fsm.StateHuman:
			return EventReturned
		case t.Event == fsm.EventUserTurn:
			return EventTimeout // not_connected
		}
		return EventEnded
	}
	return EventEnded
}

// supersededMsg announces that opening a handoff ended the user's open
// external handoff id (store.TurnWrite.Superseded).
func supersededMsg(id string, at time.Time) store.OutboxMsg {
	return EventMsg(id, EventSuperseded, at)
}

// routerSubjects are the subjects the router acts on, its consumer's
// filter: handoff requests, every end of a handoff (cancel and timeout,
// which a dealer must hear about, and with ended, returned and superseded
// the handoff.closed message of the notify sinks told about it), the
// cancels an erasure owes and new tickets. The other lifecycle and ticket
// events (accepted, external, ticket events but created) are for external
// consumers (docs/nats.md); the router never receives them, and acks at
// once any that a consumer created by an older version delivers.
// CreateOrUpdateConsumer changes an existing durable consumer's filters to
// these without losing its position: events of a newly filtered subject
// published before the change are not delivered.
func routerSubjects() []string {
	return []string{
		SubjectRequest("*"),
		SubjectEvent("*", EventCancel),
		SubjectEvent("*", EventTimeout),
		SubjectEvent("*", EventEnded),
		SubjectEvent("*", EventReturned),
		SubjectEvent("*", EventSuperseded),
		SubjectErasureCancel("*"),
		SubjectTicket("*", TicketCreated),
	}
}
