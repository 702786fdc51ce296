package handoff

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
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
