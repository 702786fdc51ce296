package handoff

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
)

// TestErasureCancelNeedsTheErasure checks that an owed cancel whose erasure
// did not commit (recorded on its own by store.OweErasureCancels, then the
// erasure failed) is not sent: the dealer must not drop a user who still
// waits in Baton's queue. (The admin erasure records its cancels in the
// erasure's transaction, EraseUser, so it cannot leave one behind.)
func TestErasureCancelNeedsTheErasure(t *testing.T) {
	t.Parallel()
	var (
		mu    sync.Mutex
		paths []string
	)
	dealer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(dealer.Close)
	client := NewDealerClient("acme", configs.Dealer{URL: dealer.URL, Secret: "s"}, "bot", nil)
	f := newRouterFixture(t)
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	rt := startRouting(t, f, hook, slack, RouterOptions{Dealers: map[string]DealerTarget{"acme": client}})
	at := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	h := f.escalate(t, "u-erase-fails", "dealer:acme", at)
	waitHandled(t, rt, 1)

	// The erasure records its cancels, then EraseUser fails: nothing more.
	if _, err := f.db.OweErasureCancels(context.Background(), h.UserKey, ReasonErased, at.Add(time.Minute), erasureCancelOutbox); err != nil {
		t.Fatal(err)
	}
	waitHandled(t, rt, 2)

	cur, ok, err := f.db.Handoff(context.Background(), h.ID)
	if err != nil || !ok || !cur.EndedAt.IsZero() {
		t.Fatalf("handoff: got ok %v, ended %v, err %v; want it still open (not erased)", ok, cur.EndedAt, err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range paths {
		if strings.HasSuffix(p, "/cancel") {
			t.Errorf("got dealer call %s for handoff %s that Baton still holds open, want no cancel before the erasure commits", p, h.ID)
		}
	}
}
