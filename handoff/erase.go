package handoff

import (
	"context"
	"errors"
	"fmt"

	"github.com/baton-chat/baton/store"
	"github.com/nats-io/nats.go/jetstream"
)

// Purger removes an erased user's messages from the BATON stream: pending
// timer schedules and fired timers, and the events of their handoffs,
// tickets and notifications. Messages carry ids only, but a timer id may be
// the user key itself (after_hours.<user>, reopen.<user>).
type Purger struct {
	js jetstream.JetStream
}

// NewPurger returns a Purger on js.
func NewPurger(js jetstream.JetStream) *Purger { return &Purger{js: js} }

// EraseSubjects returns the stream subjects (filters) that may hold messages
// about the ids of e.
func EraseSubjects(e store.Erasure) []string {
	var out []string
	for _, t := range e.Timers {
		out = append(out, timerSchedSubject(t.Kind, t.ID), timerFireSubject(t.Kind, t.ID))
	}
	for _, id := range e.Handoffs {
		out = append(out, "baton.handoff.evt."+id+".>")
	}
	for _, id := range e.Tickets {
		out = append(out, "baton.ticket."+id+".>")
	}
	for _, id := range e.Notifications {
		out = append(out, "baton.notify.*."+id)
	}
	return out
}

// timerSchedSubject is where the schedule of timer kind.id lives (DESIGN §6).
func timerSchedSubject(kind, id string) string { return "baton.timer.sched." + kind + "." + id }

// timerFireSubject is where the schedule of timer kind.id fires.
func timerFireSubject(kind, id string) string { return "baton.timer.fire." + kind + "." + id }

// Purge deletes every message of the BATON stream on the subjects of e. A
// missing stream means there is nothing to purge. It returns the first
// JetStream error, wrapped.
func (p *Purger) Purge(ctx context.Context, e store.Erasure) error {
	subjects := EraseSubjects(e)
	if len(subjects) == 0 {
		return nil
	}
	s, err := p.js.Stream(ctx, StreamName)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("handoff: purge erased user: stream: %w", err)
	}
	for _, subj := range subjects {
		if err := s.Purge(ctx, jetstream.WithPurgeSubject(subj)); err != nil {
			return fmt.Errorf("handoff: purge erased user: %d subjects: %w", len(subjects), err)
		}
	}
	return nil
}
