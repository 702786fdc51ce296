package handoff

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/store"
)

// TestRouterClosedOnlyToSinksTold: when a handoff ends, handoff.closed
// goes once to each sink that was told about its request and sends it
// (send_closed: a webhook that turned it on, a Slack sink by default),
// signed with its own Idempotency-Key; a webhook that left it off and a
// webhook that failed until the handoff ended (never told) get nothing;
// the end event delivered again (a redelivery, a restart) sends nothing
// more.
func TestRouterClosedOnlyToSinksTold(t *testing.T) {
	f := newRouterFixture(t)
	on, off, down, slack := newSinkRecorder(t), newSinkRecorder(t), newSinkRecorder(t), newSinkRecorder(t)
	down.setStatus(http.StatusServiceUnavailable)
	yes := true
	cfg := []configs.Notify{
		{Kind: SinkWebhook, URL: on.srv.URL, Secret: testSecret, PII: true, SendClosed: &yes},
		{Kind: SinkWebhook, URL: off.srv.URL, Secret: testSecret},
		{Kind: SinkWebhook, URL: down.srv.URL, Secret: testSecret, SendClosed: &yes},
		{Kind: SinkSlack, URL: slack.srv.URL},
	}
	rt := NewRouter(f.db, f.js, NewSinks(cfg, nil, nil), nil, RouterOptions{
		Links: NewLinks([]byte("k"), "http://127.0.0.1:8081"), RetryDelay: 20 * time.Millisecond})
	relay := NewRelay(f.db, f.js, nil)
	relay.Sweep = 50 * time.Millisecond
	runUntilCleanup(t, relay.Run)
	runUntilCleanup(t, rt.Run)

	at := time.Now().UTC().Truncate(time.Second)
	h := f.escalate(t, "u-closed", "notify", at)
	on.wantCount(t, 1)
	off.wantCount(t, 1)
	slack.wantCount(t, 1)
	checkForT(t, 5*time.Second, func() error {
		if n := len(down.requests()); n < 2 {
			return fmt.Errorf("the failing webhook got %d posts, want a retry", n)
		}
		return nil
	})
	f.end(t, h, at.Add(2*time.Second)) // user_cancel
	republish(t, f, SubjectEvent(h.ID, EventCancel), h.ID)

	got := on.wantCount(t, 2)[1]
	verifySignature(t, got.Header.Get(SignatureHeader), got.Body)
	if k, want := got.Header.Get(HeaderIdempotency), h.ID+":closed"; k != want {
		t.Errorf("handoff.closed Idempotency-Key %q, want %q", k, want)
	}
	var body map[string]any
	if err := json.Unmarshal(got.Body, &body); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"version": 1.0, "type": "handoff.closed", "id": h.ID, "code": h.Code, "queue": "general",
		"target": "notify", "end_reason": "user_cancel", "ended_at": at.Add(2 * time.Second).Format(time.RFC3339),
		"accepted": false, "test": false}
	if fmt.Sprint(body) != fmt.Sprint(want) {
		t.Errorf("handoff.closed body:\n got %v\nwant %v", body, want)
	}
	sl := slack.wantCount(t, 2)[1]
	var text struct{ Text string }
	if err := json.Unmarshal(sl.Body, &text); err != nil {
		t.Fatal(err)
	}
	if w := "[상담 종료] 큐 general · 상담번호 " + h.Code + ": 고객이 취소했어요"; text.Text != w {
		t.Errorf("slack closed text %q, want %q", text.Text, w)
	}
	if k := sl.Header.Get(HeaderIdempotency); k != h.ID+":closed" {
		t.Errorf("slack Idempotency-Key %q, want %q", k, h.ID+":closed")
	}

	// The end event again: every sink that answered 2xx is recorded.
	down.setStatus(http.StatusOK)
	republish(t, f, SubjectEvent(h.ID, EventEnded), h.ID)
	waitHandled(t, rt, 3) // the request (Nak'd until the end, then nothing to send) and both end events
	for name, c := range map[string]struct {
		r    *sinkRecorder
		want int
	}{"send_closed webhook": {on, 2}, "webhook without send_closed": {off, 1}, "slack": {slack, 2}} {
		if n := len(c.r.requests()); n != c.want {
			t.Errorf("%s got %d posts, want %d", name, n, c.want)
		}
	}
	for _, r := range down.requests() {
		if k := r.Header.Get(HeaderIdempotency); k != h.ID {
			t.Errorf("the webhook never told of the request got a post keyed %q", k)
		}
	}
}

// keyCounts counts r's posts by Idempotency-Key.
func keyCounts(r *sinkRecorder) map[string]int {
	out := map[string]int{}
	for _, q := range r.requests() {
		out[q.Header.Get(HeaderIdempotency)]++
	}
	return out
}

// TestRouterSinksKeepTheirRecordsWhenTheListIsEdited: a handoff's request
// reaches a webhook and a Slack sink while a third webhook fails; the
// process restarts with the notify list edited — a new webhook inserted at
// the top, the others reordered, the failing one back up. The redelivered
// request goes only to the two sinks never told (no second
// handoff.requested), and when the handoff ends each sink told of it gets
// exactly its own handoff.closed: the records follow the sinks' ids, not
// their places in the list.
func TestRouterSinksKeepTheirRecordsWhenTheListIsEdited(t *testing.T) {
	f := newRouterFixture(t)
	hook, slack, late, added := newSinkRecorder(t), newSinkRecorder(t), newSinkRecorder(t), newSinkRecorder(t)
	late.setStatus(http.StatusServiceUnavailable)
	yes := true
	hookCfg := configs.Notify{Kind: SinkWebhook, URL: hook.srv.URL, Secret: testSecret, SendClosed: &yes}
	slackCfg := configs.Notify{ID: "team", Kind: SinkSlack, URL: slack.srv.URL}
	lateCfg := configs.Notify{Kind: SinkWebhook, URL: late.srv.URL, Secret: testSecret}
	addedCfg := configs.Notify{Kind: SinkWebhook, URL: added.srv.URL, Secret: testSecret, SendClosed: &yes}
	opts := RouterOptions{RetryDelay: 20 * time.Millisecond, AckWait: 200 * time.Millisecond}
	relay := NewRelay(f.db, f.js, nil)
	relay.Sweep = 50 * time.Millisecond
	runUntilCleanup(t, relay.Run)

	stop := startRouter(t, NewRouter(f.db, f.js, NewSinks([]configs.Notify{hookCfg, slackCfg, lateCfg}, nil, nil), nil, opts))
	at := time.Now().UTC().Truncate(time.Second)
	h := f.escalate(t, "u-sinks-edited", "notify", at)
	hook.wantCount(t, 1)
	slack.wantCount(t, 1)
	checkForT(t, 5*time.Second, func() error {
		if n := len(late.requests()); n < 2 {
			return fmt.Errorf("the failing webhook got %d posts, want a retry", n)
		}
		return nil
	})
	stop()

	late.setStatus(http.StatusOK)
	rt := NewRouter(f.db, f.js, NewSinks([]configs.Notify{addedCfg, lateCfg, slackCfg, hookCfg}, nil, nil), nil, opts)
	startRouter(t, rt)
	added.wantCount(t, 1)
	checkForT(t, 5*time.Second, func() error {
		d, err := f.db.Deliveries(context.Background(), h.ID)
		n := 0
		for target := range d {
			if store.RequestDelivery(target) { // not the send_closed sinks' attempt marks
				n++
			}
		}
		if err != nil || n != 4 {
			return fmt.Errorf("deliveries %v (err %v), want the four sinks' requests", d, err)
		}
		return nil
	})
	f.end(t, h, at.Add(2*time.Second))
	republish(t, f, SubjectEvent(h.ID, EventCancel), h.ID)
	waitHandled(t, rt, 2) // the redelivered request and the end event
	consumerIdle(t, f)

	req, closed := h.ID, ClosedKey(h.ID)
	for name, c := range map[string]struct {
		r    *sinkRecorder
		want map[string]int
	}{
		"webhook told before the edit": {hook, map[string]int{req: 1, closed: 1}},
		"slack told before the edit":   {slack, map[string]int{req: 1, closed: 1}},
		"webhook inserted at the top":  {added, map[string]int{req: 1, closed: 1}},
		"webhook without send_closed":  {late, map[string]int{req: len(late.requests())}},
	} {
		if got := keyCounts(c.r); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: posts by Idempotency-Key %v, want %v", name, got, c.want)
		}
	}
}

// TestRouterSinkRecordsFromBeforeSinkIDs: an older baton recorded that a
// handoff's request reached its three sinks under their places in the
// list ("notify:0:webhook", "notify:1:slack", "notify:2:webhook"). The
// first start after the upgrade, its config without the third sink, renames
// the records of the two it has to their ids (store.AdoptSinkNames with
// LegacySinkNames, as serve does; migration 00023 marked the store), and
// only once: a later start with the list reordered and a new webhook third
// renames nothing (the new webhook does not inherit the gone sink's
// record). The request delivered again then tells only the new webhook,
// and the handoff's end gives each sink told its one handoff.closed.
func TestRouterSinkRecordsFromBeforeSinkIDs(t *testing.T) {
	ctx := context.Background()
	f := newRouterFixture(t)
	hook, slack, extra := newSinkRecorder(t), newSinkRecorder(t), newSinkRecorder(t)
	yes := true
	hookCfg := configs.Notify{Kind: SinkWebhook, URL: hook.srv.URL, Secret: testSecret, SendClosed: &yes}
	slackCfg := configs.Notify{Kind: SinkSlack, URL: slack.srv.URL}
	extraCfg := configs.Notify{Kind: SinkWebhook, URL: extra.srv.URL, Secret: testSecret, SendClosed: &yes}
	at := time.Now().UTC().Truncate(time.Second)
	h := f.escalate(t, "u-sinks-upgraded", "notify", at)
	for _, old := range []string{"notify:0:webhook", "notify:1:slack", "notify:2:webhook"} {
		if err := f.db.MarkDelivered(ctx, h.ID, old, at); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO legacy_sink_names (pending) VALUES (1)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}

	lists := [][]configs.Notify{{hookCfg, slackCfg}, {slackCfg, hookCfg, extraCfg}}
	for i, list := range lists {
		n, err := f.db.AdoptSinkNames(ctx, LegacySinkNames(list))
		if want := []int64{2, 0}[i]; err != nil || n != want {
			t.Fatalf("start %d after the upgrade: renamed %d records (err %v), want %d", i+1, n, err, want)
		}
	}
	rt := NewRouter(f.db, f.js, NewSinks(lists[1], nil, nil), nil,
		RouterOptions{RetryDelay: 20 * time.Millisecond, AckWait: 200 * time.Millisecond})
	startRouter(t, rt)
	republish(t, f, SubjectRequest("general"), h.ID)
	waitHandled(t, rt, 1)
	f.end(t, h, at.Add(2*time.Second))
	republish(t, f, SubjectEvent(h.ID, EventCancel), h.ID)
	waitHandled(t, rt, 2)
	consumerIdle(t, f)
	req, closed := h.ID, ClosedKey(h.ID)
	for name, c := range map[string]struct {
		r    *sinkRecorder
		want map[string]int
	}{
		"webhook told before the upgrade": {hook, map[string]int{closed: 1}},
		"slack told before the upgrade":   {slack, map[string]int{closed: 1}},
		"webhook added after the upgrade": {extra, map[string]int{req: 1, closed: 1}},
	} {
		if got := keyCounts(c.r); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: posts by Idempotency-Key %v, want %v", name, got, c.want)
		}
	}
}
