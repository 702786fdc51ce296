package handoff

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/store"
)

// openRouterFixtureIn opens the store file and the embedded JetStream store
// directory under dir, as a restarted process would; close shuts both down
// (it is also called when the test ends, and may be called twice).
func openRouterFixtureIn(t *testing.T, dir string, opts store.Options) (f *routerFixture, close func()) {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(dir, "baton.db"), opts)
	if err != nil {
		t.Fatal(err)
	}
	e, err := StartEmbedded(filepath.Join(dir, "nats"), nil)
	if err != nil {
		_ = db.Close()
		t.Fatal(err)
	}
	nc, err := e.Connect("test")
	if err != nil {
		e.Shutdown()
		_ = db.Close()
		t.Fatal(err)
	}
	var once sync.Once
	close = func() { once.Do(func() { nc.Close(); e.Shutdown(); _ = db.Close() }) }
	t.Cleanup(close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := EnsureStream(context.Background(), js, 1); err != nil {
		t.Fatal(err)
	}
	return &routerFixture{db: db, js: js, dir: dir, e: e}, close
}

// TestRouterPoisonTicketAfterAProcessRestartNamesTheCause: a handoff's
// last delivery fails (its sink answers 500) and the store refuses its
// router_poison ticket, so the cause is kept in the router's memory only;
// then the process stops: router, store and embedded NATS. The restarted
// process (the same SQLite file and NATS store directory, a new router)
// keeps no cause, so it processes the handoff once more (Router.afterLast),
// and the one ticket names what failed then (the sink's 503), not that the
// deliveries ran out. This is why the cause is not persisted: the
// delivery after a restart finds the cause anew.
func TestRouterPoisonTicketAfterAProcessRestartNamesTheCause(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var refuse atomic.Bool
	var refused atomic.Int32
	refuse.Store(true)
	hook := newSinkRecorder(t)
	hook.setStatus(http.StatusInternalServerError)
	sinks := NewSinks([]configs.Notify{{Kind: SinkWebhook, URL: hook.srv.URL, Secret: testSecret}}, nil, nil)
	opts := RouterOptions{MaxDeliver: 2, RetryDelay: 20 * time.Millisecond, AckWait: 200 * time.Millisecond}

	f, closeFirst := openRouterFixtureIn(t, dir, refuseTickets(&refuse, &refused))
	h := f.escalate(t, "u-poison-process-restart", "notify", time.Now().UTC())
	republish(t, f, SubjectRequest("general"), h.ID)
	stop := startRouter(t, NewRouter(f.db, f.js, sinks, nil, opts))
	checkForT(t, 5*time.Second, func() error {
		if refused.Load() == 0 {
			return fmt.Errorf("the store has not refused the ticket yet (%d sink requests)", len(hook.requests()))
		}
		return nil
	})
	stop()
	closeFirst()
	if got := len(hook.requests()); got != opts.MaxDeliver {
		t.Fatalf("before the restart: got %d sink requests, want %d (every delivery)", got, opts.MaxDeliver)
	}

	hook.setStatus(http.StatusServiceUnavailable)
	f, _ = openRouterFixtureIn(t, dir, store.Options{})
	rt := NewRouter(f.db, f.js, sinks, nil, opts)
	startRouter(t, rt)
	waitHandled(t, rt, 1)
	consumerIdle(t, f)
	details := ticketDetails(t, f, h.ID)
	if len(details) != 1 {
		t.Fatalf("got ticket details %q, want exactly one router_poison ticket", details)
	}
	if d := details[0]; !strings.Contains(d, "status 503") || strings.Contains(d, "out of deliveries") {
		t.Errorf("ticket detail %q: want the failure of the delivery after the restart (status 503), not out of deliveries", d)
	}
	if got := len(hook.requests()); got != opts.MaxDeliver+1 {
		t.Errorf("got %d sink requests, want %d (processed once more after the restart)", got, opts.MaxDeliver+1)
	}
}
