package admin_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/admin"
	"github.com/baton-chat/baton/internal/testutil"
)

// TestQueueFilterOfNoConfiguredQueue: ?queue= naming no queue of the
// config in force is 400 when the list finds nothing (a typo would look
// like an empty queue), while a queue a reload dropped still lists the
// handoffs stored under it, and a configured queue with nobody in it is an
// empty 200.
func TestQueueFilterOfNoConfiguredQueue(t *testing.T) {
	queues := []string{"vip"} // "general", the seeded handoff's queue, was dropped
	f := newFixture(t, false, admin.Options{Queues: func() []string { return queues }})
	u := testutil.SeedUser(t, f.db, "queue-filter", time.Now().Add(-time.Hour).UTC())
	tests := []struct {
		query string
		want  int
		ids   int
		msg   string
	}{
		{"?queue=general", http.StatusOK, 1, ""},
		{"?queue=vip", http.StatusOK, 0, ""},
		{"?queue=genral", http.StatusBadRequest, 0, `no queue "genral" in the config: its queues are vip`},
		{"", http.StatusOK, 1, ""},
	}
	for _, tt := range tests {
		code, body := f.call(t, http.MethodGet, "/admin/handoffs"+tt.query, bootToken, nil)
		if code != tt.want {
			t.Errorf("%s: got %d %v, want %d", tt.query, code, body, tt.want)
			continue
		}
		if tt.msg != "" {
			if msg, _ := body["error"].(string); !strings.Contains(msg, tt.msg) {
				t.Errorf("%s: got error %q, want it to say %q", tt.query, msg, tt.msg)
			}
			continue
		}
		hs, _ := body["handoffs"].([]any)
		if len(hs) != tt.ids {
			t.Errorf("%s: got %d handoffs, want %d", tt.query, len(hs), tt.ids)
		} else if tt.ids == 1 && hs[0].(map[string]any)["id"] != u.HandoffID {
			t.Errorf("%s: got %v, want handoff %s", tt.query, hs[0], u.HandoffID)
		}
	}
}
