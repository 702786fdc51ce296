package handoff

import (
	"testing"
	"time"

	"github.com/baton-chat/baton/store"
)

// TestEndedWhileWaiting: only a handoff nobody took, ended by the human
// side (admin, an end link, a dealer's session.ended other than the user's),
// is one the user's next turn must be told of; a wait timeout (told by the
// Event API), a cancel, the user's own dealer end, an open handoff or one a
// human took are not.
func TestEndedWhileWaiting(t *testing.T) {
	at := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		reason   string
		accepted bool
		open     bool
		want     bool
	}{
		{reason: AdminReason, want: true},
		{reason: LinkReason, want: true},
		{reason: "ended", want: true},
		{reason: "ended:agent", want: true},
		{reason: "ended:system", want: true},
		{reason: ReasonTicketClosed, want: true}, // its dealer_failed ticket closed
		{reason: "ended:user"},
		{reason: "wait_timeout"},
		{reason: "cancel"},
		{reason: "not_connected"},
		{reason: AdminReason, accepted: true},
		{reason: "", open: true},
	} {
		h := store.Handoff{ID: "h1", EndReason: tc.reason, EndedAt: at}
		if tc.open {
			h.EndedAt = time.Time{}
		}
		if tc.accepted {
			h.AcceptedAt = at.Add(-time.Minute)
		}
		if got := (Effects{}).EndedWhileWaiting(h, store.User{IsFriend: true}); got != tc.want {
			t.Errorf("reason %q accepted %v open %v: got %v, want %v", tc.reason, tc.accepted, tc.open, got, tc.want)
		}
	}
}
