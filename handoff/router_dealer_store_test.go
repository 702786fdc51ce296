package handoff

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/internal/testlog"
	"github.com/baton-chat/baton/store"
	_ "github.com/mattn/go-sqlite3"
)

// storeOutage runs stmt on the SQLite file of f through a second
// connection (an injected store outage: a trigger that fails some writes,
// a table renamed away from the queries that read it) and returns the
// statement that ends it.
func storeOutage(t *testing.T, f *routerFixture, stmt, undo string) (end func()) {
	t.Helper()
	side, err := sql.Open("sqlite3", filepath.Join(f.dir, "baton.db")+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = side.Close() })
	if _, err := side.ExecContext(context.Background(), stmt); err != nil {
		t.Fatal(err)
	}
	return func() {
		t.Helper()
		if _, err := side.ExecContext(context.Background(), undo); err != nil {
			t.Fatal(err)
		}
	}
}

// routerDeliveries returns how many deliveries the router's consumer made
// (first deliveries and redeliveries).
func routerDeliveries(t *testing.T, f *routerFixture) uint64 {
	t.Helper()
	c, err := f.js.Consumer(context.Background(), StreamName, RouterName)
	if err != nil {
		return 0 // not created yet
	}
	info, err := c.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info.Delivered.Consumer
}

// startDealerRouting runs a relay and a router over f with dealer "acme"
// (a DealerClient reading its users from f's store) posting to dealer, the
// two notify sinks of startRouting and a failover delay of 1 ms: any
// failure counted against the dealer on a second delivery fails it over.
// The router logs into logs.
func startDealerRouting(t *testing.T, f *routerFixture, dealer, hook, slack *sinkRecorder, pii bool, logs *testlog.Buffer) *Router {
	t.Helper()
	dc := NewDealerClient("acme", configs.Dealer{URL: dealer.srv.URL, Secret: testSecret, PII: pii}, "Baton", f.db)
	dc.Backoff = time.Millisecond
	cfg := []configs.Notify{
		{Kind: SinkWebhook, URL: hook.srv.URL, Secret: testSecret, PII: true},
		{Kind: SinkSlack, URL: slack.srv.URL},
	}
	rt := NewRouter(f.db, f.js, NewSinks(cfg, nil, nil), slog.New(slog.NewTextHandler(logs, nil)), RouterOptions{
		Dealers:             map[string]DealerTarget{"acme": dc},
		Links:               NewLinks([]byte("k"), "http://127.0.0.1:8081"),
		RetryDelay:          50 * time.Millisecond,
		DealerFailoverAfter: func() time.Duration { return time.Millisecond },
	})
	relay := NewRelay(f.db, f.js, nil)
	relay.Sweep = 50 * time.Millisecond
	runUntilCleanup(t, relay.Run)
	runUntilCleanup(t, rt.Run)
	return rt
}

// wantDealerKeptHandoff checks, once the router finished h's request, that
// dealer acme holds it and was never failed: its delivery is recorded,
// with no failover clock, no failover, no ticket, no sink told and no
// dealer failure counted; every POST the dealer got carries h's id as
// Idempotency-Key; and the router logged the store's error (storeErr) as
// such.
func wantDealerKeptHandoff(t *testing.T, f *routerFixture, rt *Router, h store.Handoff, dealer, hook, slack *sinkRecorder, logs *testlog.Buffer, storeErr string) {
	t.Helper()
	done, err := f.db.Deliveries(context.Background(), h.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := done["dealer:acme"]; !ok {
		t.Errorf("deliveries %v: the dealer's 2xx is not recorded", keys(done))
	}
	for _, mark := range []string{firstFailureMark("acme"), "dealer:acme:failed"} {
		if _, ok := done[mark]; ok {
			t.Errorf("deliveries %v: a store error was counted against the dealer (%s)", keys(done), mark)
		}
	}
	if got := ticketsOf(t, f, h.ID); len(got) != 0 {
		t.Errorf("tickets %v, want none: the dealer did not fail", got)
	}
	if n, m := len(hook.requests()), len(slack.requests()); n != 0 || m != 0 {
		t.Errorf("sinks got %d and %d requests, want none: the handoff is the dealer's", n, m)
	}
	if got := counterValue(t, rt.delivered.WithLabelValues("dealer", "error")); got != 0 {
		t.Errorf("baton_router_deliveries_total{target=dealer,result=error} = %v, want 0", got)
	}
	reqs := dealer.requests()
	if len(reqs) == 0 {
		t.Fatal("the dealer got no request")
	}
	for _, r := range reqs {
		if got := r.Header.Get("Idempotency-Key"); got != h.ID {
			t.Errorf("Idempotency-Key %q, want %q", got, h.ID)
		}
	}
	out := logs.String()
	if !strings.Contains(out, storeErr) || !strings.Contains(out, "store error") {
		t.Errorf("the store's error is not logged as one:\n%s", out)
	}
	if strings.Contains(out, "dealer failed") {
		t.Errorf("a store error was logged as the dealer's failure:\n%s", out)
	}
}

// waitFailing waits until the router made 3 deliveries of the request while
// the store fails, or finished it (it gave the handoff up to the sinks).
func waitFailing(t *testing.T, f *routerFixture, rt *Router) {
	t.Helper()
	checkForT(t, 10*time.Second, func() error {
		if n := routerDeliveries(t, f); n < 3 && rt.Handled() == 0 {
			return fmt.Errorf("%d deliveries, want 3 while the store fails", n)
		}
		return nil
	})
}

func keys(m map[string]time.Time) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestRouterStoreErrorReadingTheUserIsNotTheDealersFailure: the store
// failing to read the user for a pii dealer's request (before anything is
// posted) is retried, not counted against the dealer: no failover clock,
// no failover to the sinks, no dealer_failed ticket, no dealer error in
// the metric. Once the store is back the dealer gets the handoff.
func TestRouterStoreErrorReadingTheUserIsNotTheDealersFailure(t *testing.T) {
	t.Parallel()
	// No conversation cache: the user is read from the users table.
	f := newRouterFixtureWith(t, store.Options{CacheSize: -1})
	dealer, hook, slack := newSinkRecorder(t), newSinkRecorder(t), newSinkRecorder(t)
	h := f.escalate(t, "u-store-read", "dealer:acme", time.Now().UTC())
	end := storeOutage(t, f, `ALTER TABLE users RENAME TO users_injected_outage`,
		`ALTER TABLE users_injected_outage RENAME TO users`)
	var logs testlog.Buffer
	rt := startDealerRouting(t, f, dealer, hook, slack, true, &logs)
	waitFailing(t, f, rt)
	if n := len(dealer.requests()); n != 0 {
		t.Fatalf("the dealer got %d requests while its user could not be read, want none", n)
	}
	end()
	waitHandled(t, rt, 1)
	wantDealerKeptHandoff(t, f, rt, h, dealer, hook, slack, &logs, "no such table: users")
	if n := len(dealer.requests()); n != 1 {
		t.Errorf("the dealer got %d requests, want 1", n)
	}
}

// TestRouterStoreErrorAfterTheDealers2xxIsNotTheDealersFailure: the dealer
// answered 2xx but the store refused the record of it. That is retried
// (the request is posted again, with the same Idempotency-Key, which makes
// it safe) and is not counted against the dealer: it is never failed over
// to the sinks nor ticketed, even on a later delivery past the failover
// delay.
func TestRouterStoreErrorAfterTheDealers2xxIsNotTheDealersFailure(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	dealer, hook, slack := newSinkRecorder(t), newSinkRecorder(t), newSinkRecorder(t)
	h := f.escalate(t, "u-store-mark", "dealer:acme", time.Now().UTC())
	end := storeOutage(t, f, `CREATE TRIGGER dealer_mark_outage BEFORE INSERT ON handoff_deliveries
		WHEN NEW.target = 'dealer:acme' BEGIN SELECT RAISE(ABORT, 'injected outage'); END`,
		`DROP TRIGGER dealer_mark_outage`)
	var logs testlog.Buffer
	rt := startDealerRouting(t, f, dealer, hook, slack, false, &logs)
	waitFailing(t, f, rt)
	end()
	waitHandled(t, rt, 1)
	wantDealerKeptHandoff(t, f, rt, h, dealer, hook, slack, &logs, "injected outage")
	if n := len(dealer.requests()); n < 2 {
		t.Errorf("the dealer got %d requests, want the request posted again after its unrecorded 2xx", n)
	}
}
