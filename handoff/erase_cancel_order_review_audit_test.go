//go:build audit

package handoff

import (
	"context"
	"hash/fnv"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/store"
)

// TestAuditErasureCancelOvertakesTheRequest shows a bug: the router keeps
// the messages of one handoff on one worker, in order (workerOf hashes the
// payload, the handoff id), but the owed erasure cancel's payload is the
// cancel's own id (SubjectErasureCancel), so it runs on another worker. A
// user erased while the router is still handing their handoff to a slow
// dealer gets the user_erased cancel sent first; the request then lands,
// and the dealer opens a session with the erased user's keys and
// transcript that nobody ever cancels. The erasure cancel must wait for an
// in-flight request of its handoff (same worker, or a Nak while it runs).
func TestAuditErasureCancelOvertakesTheRequest(t *testing.T) {
	const workers = 64
	var (
		mu     sync.Mutex
		events []string
	)
	record := func(e string) {
		mu.Lock()
		events = append(events, e)
		mu.Unlock()
	}
	arrived, release, cancelled := make(chan struct{}), make(chan struct{}), make(chan struct{}, 1)
	var once sync.Once
	dealer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/cancel") {
			record("cancel")
			select {
			case cancelled <- struct{}{}:
			default:
			}
			w.WriteHeader(http.StatusOK)
			return
		}
		once.Do(func() { close(arrived) })
		<-release
		record("request accepted")
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(dealer.Close)
	t.Cleanup(func() {
		select {
		case <-release:
		default:
			close(release)
		}
	})
	client := NewDealerClient("acme", configs.Dealer{URL: dealer.URL, Secret: "s"}, "bot", nil)
	client.Attempts = 1
	f := newRouterFixture(t)
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	startRouting(t, f, hook, slack, RouterOptions{Dealers: map[string]DealerTarget{"acme": client}, Workers: workers})
	at := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	h := f.escalate(t, "u-erase-in-flight", "dealer:acme", at)
	select {
	case <-arrived:
	case <-time.After(10 * time.Second):
		t.Fatal("the dealer never got the request")
	}

	// The admin erasure, while the request is still in flight.
	ctx := context.Background()
	owed, err := f.db.OweErasureCancels(ctx, h.UserKey, ReasonErased, at.Add(time.Minute), erasureCancelMsg)
	if err != nil || len(owed) != 1 {
		t.Fatalf("OweErasureCancels: got %d, %v; want 1 cancel", len(owed), err)
	}
	if _, err := f.db.EraseUser(ctx, h.UserKey); err != nil {
		t.Fatal(err)
	}
	if worker(owed[0].ID, workers) == worker(h.ID, workers) {
		t.Skip("the random cancel id hashed to the request's worker; run again")
	}
	select {
	case <-cancelled: // the bug: sent while the request is still in flight
	case <-time.After(3 * time.Second):
	}
	close(release)
	checkForT(t, 10*time.Second, func() error {
		mu.Lock()
		defer mu.Unlock()
		if len(events) < 2 {
			return context.DeadlineExceeded
		}
		return nil
	})
	mu.Lock()
	defer mu.Unlock()
	if events[len(events)-1] != "cancel" {
		t.Errorf("dealer calls in order %v: the erased user's handoff ends open at the dealer, want the cancel after the request", events)
	}
}

func erasureCancelMsg(id string, at time.Time) store.OutboxMsg {
	return store.OutboxMsg{ID: store.NewID(at), Subject: SubjectErasureCancel(id), Payload: []byte(id), CreatedAt: at}
}

// worker is workerOf for a payload.
func worker(payload string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(payload))
	return int(h.Sum32() % uint32(n))
}
