package handoff

import (
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// addTickets records the ticket (and its encrypted contact) o asks for.
func (e Effects) addTickets(o *fsm.Outcome, w *store.TurnWrite, now time.Time) {}
