package handoff

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// TestRouterHandoffEndedBetweenSinksOpensTicket: a notify handoff that
// closes unaccepted (the user back after return_gap) while the router tells
// its sinks — the first refuses it, the re-read before the second finds it
// ended — gets its notify_failed ticket from that delivery, which is then
// done. That delivery used to end as if the sinks had been told: the request
// was acked with no ticket, and no redelivery came back to open one.
func TestRouterHandoffEndedBetweenSinksOpensTicket(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	var (
		mu     sync.Mutex
		ended  bool
		endErr error
	)
	first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if !ended {
			ended = true
			endErr = f.endNotConnected("u-gap", r.Header.Get(HeaderIdempotency), time.Now().UTC())
		}
		mu.Unlock()
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	t.Cleanup(first.Close)
	second := newSinkRecorder(t)
	cfg := []configs.Notify{
		{Kind: SinkWebhook, URL: first.URL, Secret: testSecret},
		{Kind: SinkWebhook, URL: second.srv.URL, Secret: testSecret},
	}
	// No retry within the test: the delivery that saw the end must open
	// the ticket itself.
	rt := NewRouter(f.db, f.js, NewSinks(cfg, nil, nil), nil, RouterOptions{RetryDelay: time.Hour})
	runUntilCleanup(t, rt.Run)
	h := f.escalate(t, "u-gap", "notify", time.Now().UTC())
	relay := NewRelay(f.db, f.js, nil)
	runUntilCleanup(t, relay.Run)

	checkForT(t, 10*time.Second, func() error {
		if rt.Handled() == 0 {
			return errors.New("the router has not finished the request yet")
		}
		return nil
	})
	mu.Lock()
	if !ended || endErr != nil {
		t.Fatalf("the first sink ended the handoff: %v (err %v), want true", ended, endErr)
	}
	mu.Unlock()
	var reasons []string
	rows, err := f.db.ReadDB().QueryContext(context.Background(), `SELECT reason FROM tickets WHERE handoff_id = ?`, h.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			t.Fatal(err)
		}
		reasons = append(reasons, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(reasons) != 1 || reasons[0] != ticketNotifyFailed {
		t.Errorf("handoff %s: got tickets %v, want one %s", h.ID, reasons, ticketNotifyFailed)
	}
	for _, req := range second.requests() {
		if strings.Contains(string(req.Body), `"handoff.requested"`) {
			t.Errorf("the second sink was told of the ended handoff: %s", req.Body)
		}
	}
}

// endNotConnected closes user's handoff id as the user's return after
// return_gap does; unlike end, it may run off the test's goroutine.
func (f *routerFixture) endNotConnected(user, id string, at time.Time) error {
	ctx := context.Background()
	_, conv, _, err := f.db.Load(ctx, user)
	if err != nil {
		return err
	}
	conv.State, conv.HandoffID = fsm.StateBot, ""
	return f.db.Commit(ctx, &store.TurnWrite{User: store.User{Key: user, LastSeen: at}, Conv: conv,
		EndHandoff: &store.HandoffEnd{ID: id, Reason: "not_connected", At: at}})
}
