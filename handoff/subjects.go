package handoff

import (
	"math/rand/v2"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// Subjects (stable, DESIGN §6). Payloads are ids only; consumers re-read the
// store before any side effect.

// SubjectRequest is where a new handoff for queue is announced.
func SubjectRequest(queue string) string { return "baton.handoff.req." + queue }

// SubjectEvent is where a lifecycle event of handoff id is announced
// (cancel, accepted, ended, ...).
func SubjectEvent(id, event string) string { return "baton.handoff.evt." + id + "." + event }

// Handoff events carried on SubjectEvent.
const (
	EventCancel = "cancel"
)

// codeAlphabet leaves out look-alikes (0/O, 1/I/L) so agents can read a code
// aloud or type it from a notification.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// Effects turns the handoff effects of an engine step into the turn's outbox
// messages and further writes (timers, tickets, notifications), and mints
// handoff codes. The skill pipeline calls it inside the turn, so everything
// commits with the turn. The zero Effects writes outbox messages only.
type Effects struct {
	// Contacts encrypts the contact a user leaves with a ticket and the
	// handoff intake answers; nil drops both (they are never stored in the
	// clear).
	Contacts *store.ContactBox
	// Timers holds the timer policy (config and hours); nil schedules no
	// durable timers.
	Timers *TimerConfig
}

// NewCode returns a 4-character handoff code ("A7K2") shown to the user and
// the agent. Codes are for humans matching a notification to a chat room;
// the handoff id stays the key.
//
// Codes are not secrets (the user and the agent both see them), so they come
// from math/rand/v2 — minted on every turn, they must stay cheap.
func (Effects) NewCode() string {
	var b [4]byte
	for i := range b {
		b[i] = codeAlphabet[rand.IntN(len(codeAlphabet))]
	}
	return string(b[:])
}

// AddTo adds the effects of o to w, the write of the turn (or event) that
// produced o: outbox messages, then timers, tickets, intake answers and CSAT.
func (e Effects) AddTo(o *fsm.Outcome, w *store.TurnWrite, now time.Time) {
	w.Outbox = append(w.Outbox, e.Outbox(o, w.User.Key, now)...)
	e.addTimers(o, w, now)
	e.addTickets(o, w, now)
	e.addIntake(o, w, now)
	e.addCSAT(o, w, now)
}

// Outbox returns the messages to publish for o: a request when a handoff
// opens, a cancel when it closes in a way the dealer must hear about.
func (Effects) Outbox(o *fsm.Outcome, userKey string, now time.Time) []store.OutboxMsg {
	var msgs []store.OutboxMsg
	if c := o.Close; c != nil && c.NotifyDealer {
		msgs = append(msgs, store.OutboxMsg{
			ID: store.NewID(now), Subject: SubjectEvent(c.ID, EventCancel), Payload: []byte(c.ID), CreatedAt: now,
		})
	}
	if op := o.Open; op != nil {
		msgs = append(msgs, store.OutboxMsg{
			ID: store.NewID(now), Subject: SubjectRequest(op.Queue), Payload: []byte(op.ID), CreatedAt: now,
		})
	}
	return msgs
}
