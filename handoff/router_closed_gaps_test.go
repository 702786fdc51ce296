package handoff

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/store"
)

// keysOf returns the Idempotency-Key of each recorded POST, in order.
func keysOf(reqs []recordedReq) []string {
	out := make([]string, len(reqs))
	for i, r := range reqs {
		out[i] = r.Header.Get(HeaderIdempotency)
	}
	return out
}

// TestRouterClosedAfterACrashBeforeTheRecord: a send_closed sink answered
// 2xx to the request, and the router stopped before recording it (a
// crash, simulated by crashAfter) while the user cancelled. The request
// delivered again finds the handoff ended: it sends no second
// handoff.requested, and the sink, which may have shown the request, gets
// handoff.closed once — not again for the end event or another redelivery.
// A send_closed sink that was never reached (connection refused) gets
// nothing and keeps no attempt mark.
func TestRouterClosedAfterACrashBeforeTheRecord(t *testing.T) {
	f := newRouterFixture(t)
	on := newSinkRecorder(t)
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close() // its port now refuses connections
	yes := true
	sinks := NewSinks([]configs.Notify{
		{Kind: SinkWebhook, URL: gone.URL, Secret: testSecret, SendClosed: &yes},
		{Kind: SinkWebhook, URL: on.srv.URL, Secret: testSecret, SendClosed: &yes},
	}, nil, nil)
	rt := NewRouter(f.db, f.js, sinks, nil, RouterOptions{RetryDelay: 20 * time.Millisecond})
	at := time.Now().UTC().Truncate(time.Second)
	h := f.escalate(t, "u-crash", "notify", at)
	var crashed atomic.Bool
	endErr := make(chan error, 1)
	rt.crashAfter = func(string) error {
		if crashed.Swap(true) {
			return nil
		}
		endErr <- f.endAs(h, "user_cancel", at.Add(time.Second))
		return errors.New("crashed")
	}
	relay := NewRelay(f.db, f.js, nil)
	relay.Sweep = 50 * time.Millisecond
	runUntilCleanup(t, relay.Run)
	runUntilCleanup(t, rt.Run)

	waitHandled(t, rt, 1) // the request: crashed after on's 2xx, then delivered again
	if err := <-endErr; err != nil {
		t.Fatal(err)
	}
	republish(t, f, SubjectEvent(h.ID, EventCancel), h.ID)
	republish(t, f, SubjectRequest("general"), h.ID)
	waitHandled(t, rt, 3)
	if got, want := fmt.Sprint(keysOf(on.requests())), fmt.Sprint([]string{h.ID, ClosedKey(h.ID)}); got != want {
		t.Errorf("the sink that answered 2xx got posts keyed %s, want %s (one request, one handoff.closed)", got, want)
	}
	done, err := f.db.Deliveries(context.Background(), h.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := done[attemptTarget(sinks[0].Name())]; ok {
		t.Errorf("deliveries %v: the refused sink keeps an attempt mark", done)
	}
	if _, ok := done[closedTarget(sinks[0].Name())]; ok {
		t.Errorf("deliveries %v: the refused sink was sent handoff.closed", done)
	}
}

// TestRouterRequestLandingAfterTheEnd: the request's POST is under way
// when the user comes back to the bot (not_connected), and the sink
// answers 2xx after the end. With no end event to follow, the sink is sent
// handoff.closed at once (send_closed), a webhook without send_closed is
// not sent the request of the ended handoff, and a notify_failed ticket
// opens (and reaches both sinks): no agent could act on links that no
// longer work. Neither the end event nor the request delivered again adds a
// post or a ticket.
func TestRouterRequestLandingAfterTheEnd(t *testing.T) {
	for _, tc := range []struct {
		name  string
		quiet bool // a webhook without send_closed after the late sink
	}{{"the last sink", false}, {"before another sink", true}} {
		t.Run(tc.name, func(t *testing.T) {
			f := newRouterFixture(t)
			late, quiet := newSinkRecorder(t), newSinkRecorder(t)
			at := time.Now().UTC().Truncate(time.Second)
			h := f.escalate(t, "u-late", "notify", at)
			var once sync.Once
			endErr := make(chan error, 1)
			late.before = func() {
				once.Do(func() { endErr <- f.endAs(h, "not_connected", time.Now().UTC()) })
			}
			yes := true
			cfg := []configs.Notify{{Kind: SinkWebhook, URL: late.srv.URL, Secret: testSecret, SendClosed: &yes}}
			if tc.quiet {
				cfg = append(cfg, configs.Notify{Kind: SinkWebhook, URL: quiet.srv.URL, Secret: testSecret})
			}
			rt := NewRouter(f.db, f.js, NewSinks(cfg, nil, nil), nil, RouterOptions{RetryDelay: 20 * time.Millisecond})
			relay := NewRelay(f.db, f.js, nil)
			relay.Sweep = 50 * time.Millisecond
			runUntilCleanup(t, relay.Run)
			runUntilCleanup(t, rt.Run)

			if err := <-endErr; err != nil {
				t.Fatal(err)
			}
			// No end event was published: the request itself says it is over.
			checkForT(t, 5*time.Second, func() error {
				if !slices.Contains(keysOf(late.requests()), ClosedKey(h.ID)) {
					return errors.New("the late sink has no handoff.closed yet")
				}
				return nil
			})
			// The ticket is opened by the same delivery, around the POST
			// of handoff.closed: wait for it, not just for the POST.
			checkForT(t, 5*time.Second, func() error {
				got, err := f.db.Tickets(context.Background(), "open")
				if err != nil || len(got) == 0 {
					return fmt.Errorf("no open ticket yet (%v)", err)
				}
				return nil
			})
			wantTickets(t, f, map[string]string{h.ID: "notify_failed"})
			republish(t, f, SubjectEvent(h.ID, EventReturned), h.ID)
			republish(t, f, SubjectRequest("general"), h.ID)
			waitHandled(t, rt, 4) // with the ticket's created event
			wantTickets(t, f, map[string]string{h.ID: "notify_failed"})
			tickets, err := f.db.Tickets(context.Background(), "open")
			if err != nil {
				t.Fatal(err)
			}
			reqs := late.requests()
			keys := keysOf(reqs)
			slices.Sort(keys)
			want := []string{h.ID, ClosedKey(h.ID), tickets[0].ID}
			slices.Sort(want)
			if fmt.Sprint(keys) != fmt.Sprint(want) {
				t.Fatalf("the late sink got posts keyed %v, want %v (the request, handoff.closed, the ticket)", keys, want)
			}
			for _, r := range reqs {
				if r.Header.Get(HeaderIdempotency) == ClosedKey(h.ID) {
					verifySignature(t, r.Header.Get(SignatureHeader), r.Body)
				}
			}
			if tc.quiet {
				if got := keysOf(quiet.requests()); fmt.Sprint(got) != fmt.Sprint([]string{tickets[0].ID}) {
					t.Errorf("the webhook without send_closed got posts keyed %v, want only the ticket's (no request of an ended handoff)", got)
				}
			}
			var got store.Handoff
			if got, _, _ = f.db.Handoff(context.Background(), h.ID); got.EndReason != "not_connected" {
				t.Errorf("handoff ended with %q, want not_connected", got.EndReason)
			}
		})
	}
}
