package handoff_test

import (
	"context"
	"sync"
	"testing"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/store"
)

// externalRaceStore is the real store with a hook run once before the first
// OpenExternalHandoff: another delivery that lands in the window between
// an event's match (nothing found) and its insert.
type externalRaceStore struct {
	*store.DB
	mu     sync.Mutex
	before func()
}

func (s *externalRaceStore) OpenExternalHandoff(ctx context.Context, h store.Handoff, out ...store.OutboxMsg) error {
	s.mu.Lock()
	f := s.before
	s.before = nil
	s.mu.Unlock()
	if f != nil {
		f()
	}
	return s.DB.OpenExternalHandoff(ctx, h, out...)
}

// TestDealerConcurrentExternalStartedApplied: docs/dealer-contract.md §3.1
// rule 3 and §3.2: for a user who reached 상담톡 through the channel's own
// menu, session.started opens an external handoff (or finds the one an
// earlier event opened, rule 2) and accepts it. When the dealer's
// agent.assigned and session.started for that user arrive together, the
// one that loses the insert applies to the handoff the other opened. Before,
// it was answered "ignored" (do not retry): the session.started was lost
// and the external handoff never accepted.
func TestDealerConcurrentExternalStartedApplied(t *testing.T) {
	var es *externalRaceStore
	e := newDealerEnvWith(t, func(db *store.DB) handoff.DealerEventStore {
		es = &externalRaceStore{DB: db}
		return es
	})
	db := e.db
	e.seed(t, "u1", fsm.StateBot, "", "")
	pf := map[string]any{"plusfriend_user_key": "pf-u1"}

	es.before = func() {
		// The dealer's agent.assigned, delivered concurrently, wins the insert.
		if code, out := e.send(t, map[string]any{"id": "ev-agent", "type": "agent.assigned", "user": pf,
			"agent": map[string]any{"id": "a-1", "name": "이상담"}}); code != 200 || out != status("applied") {
			t.Errorf("agent.assigned: got %d %s, want 200 applied", code, out)
		}
	}
	code, out := e.send(t, map[string]any{"id": "ev-start", "type": "session.started", "user": pf})
	h, ok, err := db.OpenHandoff(context.Background(), "u1")
	if err != nil || !ok || h.Reason != handoff.ExternalReason {
		t.Fatalf("setup: no external handoff open (%v %v)", ok, err)
	}
	if code != 200 || out != status("applied") || h.AcceptedAt.IsZero() {
		t.Fatalf("session.started racing the agent.assigned that opened the external handoff: got %d %s, accepted %v; "+
			"want 200 applied and the external handoff accepted", code, out, !h.AcceptedAt.IsZero())
	}
}
