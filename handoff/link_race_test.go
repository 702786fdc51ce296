package handoff_test

import (
	"context"
	"strings"
	"testing"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/store"
)

// readThen is a HandoffReader that runs then once, right after the first
// read: the window in which a link action has read its handoff as open but
// not yet taken the user's lock.
type readThen struct {
	db   *store.DB
	then func()
}

func (r *readThen) DealerFailed(ctx context.Context, id string) (bool, error) {
	return r.db.DealerFailed(ctx, id)
}

func (r *readThen) Handoff(ctx context.Context, id string) (store.Handoff, bool, error) {
	h, ok, err := r.db.Handoff(ctx, id)
	if f := r.then; f != nil {
		r.then = nil
		f()
	}
	return h, ok, err
}

// TestStaleLinkNeverTouchesANewerHandoff: an agent follows the accept or end
// link of handoff A; after the link read A as open, and before it applies,
// the user leaves A and opens handoff B through real /skill turns. The link
// must change nothing: B stays waiting, unaccepted and open, and no event
// names B but its request.
func TestStaleLinkNeverTouchesANewerHandoff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		state  fsm.State // of A when the link is read
		action string
		turns  []string // the user's turns in the window: leave A, open B
	}{
		{"accept link, user cancelled and asked again", fsm.StateWaiting, handoff.LinkAccept, []string{"상담 취소", "상담원", "네"}},
		{"end link, user cancelled and asked again", fsm.StateWaiting, handoff.LinkEnd, []string{"상담 취소", "상담원", "네"}},
		{"end link, user back from the human and asked again", fsm.StateHuman, handoff.LinkEnd, []string{"상담원", "네"}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newDealerEnv(t)
			key := "u-race-" + string(rune('a'+i))
			a := e.seed(t, key, tc.state, "general", "notify")
			seen := map[string]bool{}
			newEvents(t, e.db, seen)
			r := &readThen{db: e.db, then: func() {
				for _, u := range tc.turns {
					e.textTurn(t, key, u)
				}
			}}
			_, changed, err := handoff.ApplyAction(context.Background(), r, e.app, a, tc.action, handoff.LinkReason)
			if err != nil || changed {
				t.Fatalf("stale %s link: changed %v, err %v; want no change", tc.action, changed, err)
			}
			c := e.conv(t, key)
			if c.State != fsm.StateWaiting || c.HandoffID == "" || c.HandoffID == a {
				t.Fatalf("conversation %s %q, want waiting with a new handoff (A was %s)", c.State, c.HandoffID, a)
			}
			b := e.handoff(t, c.HandoffID)
			if !b.AcceptedAt.IsZero() || !b.EndedAt.IsZero() {
				t.Fatalf("handoff B accepted %s ended %s (%q), want untouched", b.AcceptedAt, b.EndedAt, b.EndReason)
			}
			for _, s := range newEvents(t, e.db, seen) {
				if strings.HasPrefix(s, "baton.handoff.evt."+b.ID+".") {
					t.Fatalf("event %s names handoff B", s)
				}
			}
		})
	}
}
