package handoff

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/store"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

const testSecret = "s3cret-for-tests"

// startRouting runs a relay and a router over f with a webhook (pii) and a
// Slack sink pointing at the recorders.
func startRouting(t *testing.T, f *routerFixture, hook, slack *sinkRecorder, opts RouterOptions) *Router {
	t.Helper()
	cfg := []configs.Notify{
		{Kind: SinkWebhook, URL: hook.srv.URL, Secret: testSecret, PII: true},
		{Kind: SinkSlack, URL: slack.srv.URL},
		{Kind: SinkWebhook, URL: ""}, // disabled
	}
	if opts.Links == nil {
		opts.Links = NewLinks([]byte("k"), "http://127.0.0.1:8081")
	}
	rt := NewRouter(f.db, f.js, NewSinks(cfg, nil, nil), nil, opts)
	relay := NewRelay(f.db, f.js, nil)
	relay.Sweep = 50 * time.Millisecond
	runUntilCleanup(t, relay.Run)
	runUntilCleanup(t, rt.Run)
	return rt
}

func waitHandled(t *testing.T, rt *Router, n uint64) {
	t.Helper()
	checkForT(t, 10*time.Second, func() error {
		if got := rt.Handled(); got != n {
			return fmt.Errorf("router handled %d messages, want %d", got, n)
		}
		return nil
	})
}

// verifySignature recomputes the HMAC of the recorded raw body.
func verifySignature(t *testing.T, header string, body []byte) {
	t.Helper()
	ts, v1, ok := strings.Cut(header, ",v1=")
	ts, ok2 := strings.CutPrefix(ts, "t=")
	if !ok || !ok2 {
		t.Fatalf("signature header %q: want t=<unix>,v1=<hex>", header)
	}
	m := hmac.New(sha256.New, []byte(testSecret))
	m.Write([]byte(ts + "."))
	m.Write(body)
	if got, want := v1, hex.EncodeToString(m.Sum(nil)); got != want {
		t.Fatalf("signature v1 %s, want %s (HMAC of the recorded body)", got, want)
	}
}

func TestRouterNotifiesOnceSignedAndSlackHasNoPersonalData(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	rt := startRouting(t, f, hook, slack, RouterOptions{})
	h := f.escalate(t, "u-notify", "notify", time.Now().UTC())

	got := hook.wantCount(t, 1)[0]
	verifySignature(t, got.Header.Get(SignatureHeader), got.Body)
	if k := got.Header.Get(HeaderIdempotency); k != h.ID {
		t.Errorf("webhook Idempotency-Key %q, want %q", k, h.ID)
	}
	var body struct {
		ID, Code, Queue string
		User            struct{ BotUserKey, PlusfriendUserKey string } `json:"user"`
		Context         struct {
			MenuPath []string `json:"menu_path"`
			Turns    []struct{ From, Text string }
		}
		Links struct{ Accept, End string }
	}
	if err := json.Unmarshal(got.Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.ID != h.ID || body.Code != h.Code || body.Queue != "general" {
		t.Errorf("webhook id/code/queue %s/%s/%s, want %s/%s/general", body.ID, body.Code, body.Queue, h.ID, h.Code)
	}
	if !bytes.Contains(got.Body, []byte(`"plusfriend_user_key":"pf-u-notify"`)) {
		t.Errorf("pii webhook lacks the plusfriend user key: %s", got.Body)
	}
	wantTurns := []struct{ From, Text string }{{FromUser, "상담원 연결해 주세요 010-****-****"}, {FromBot, "handoff"}}
	if !slices.Equal(body.Context.Turns, wantTurns) {
		t.Errorf("webhook turns %+v, want the masked escalating turn and the bot's handoff %+v", body.Context.Turns, wantTurns)
	}
	if !strings.Contains(body.Links.Accept, "/a/") || !strings.Contains(body.Links.End, "/a/") {
		t.Errorf("webhook links %+v, want /a/{token} links", body.Links)
	}

	sl := slack.wantCount(t, 1)[0]
	for _, bad := range []string{"u-notify", "pf-u-notify", "상담원 연결해", "010", testSecret} {
		if bytes.Contains(sl.Body, []byte(bad)) {
			t.Errorf("slack body carries %q: %s", bad, sl.Body)
		}
	}
	var sb struct {
		Text string `json:"text"`
	}
	if err := json.Unmarshal(sl.Body, &sb); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{h.Code, "general", body.Links.Accept} {
		if !strings.Contains(sb.Text, want) {
			t.Errorf("slack text %q lacks %q", sb.Text, want)
		}
	}
	waitHandled(t, rt, 1)

	// A redelivered request (here: the same id published again) sends nothing.
	republish(t, f, SubjectRequest("general"), h.ID)
	waitHandled(t, rt, 2)
	if n, m := len(hook.requests()), len(slack.requests()); n != 1 || m != 1 {
		t.Fatalf("after a redelivery: webhook got %d, slack %d requests; want 1 each", n, m)
	}
}

func republish(t *testing.T, f *routerFixture, subject, data string) {
	t.Helper()
	msg := &nats.Msg{Subject: subject, Data: []byte(data)}
	if _, err := f.js.PublishMsg(context.Background(), msg, jetstream.WithMsgID(store.NewID(time.Now()))); err != nil {
		t.Fatal(err)
	}
}

func TestRouterSendsNothingForAnEndedHandoff(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	at := time.Now().UTC()
	h := f.escalate(t, "u-cancelled", "notify", at)
	f.end(t, h, at.Add(time.Second))
	rt := startRouting(t, f, hook, slack, RouterOptions{})
	waitHandled(t, rt, 1)
	if n, m := len(hook.requests()), len(slack.requests()); n != 0 || m != 0 {
		t.Fatalf("ended handoff: webhook got %d, slack %d requests; want none", n, m)
	}
}

func TestRouterPoisonIsTerminated(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	rt := startRouting(t, f, hook, slack, RouterOptions{})
	republish(t, f, SubjectRequest("general"), "not an id.")
	waitHandled(t, rt, 1)
	cons, err := f.js.Consumer(context.Background(), StreamName, RouterName)
	if err != nil {
		t.Fatal(err)
	}
	info, err := cons.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if info.NumAckPending != 0 || info.NumRedelivered != 0 {
		t.Fatalf("poison: %d ack pending, %d redelivered; want 0 and 0 (terminated at once)", info.NumAckPending, info.NumRedelivered)
	}
	if len(hook.requests()) != 0 {
		t.Fatal("poison message reached a sink")
	}
	wantTickets(t, f, map[string]string{"": "router_poison"})
}

// wantTickets checks the open tickets: handoff id → reason.
func wantTickets(t *testing.T, f *routerFixture, want map[string]string) {
	t.Helper()
	got, err := f.db.Tickets(context.Background(), "open")
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]string{}
	for _, tk := range got {
		have[tk.HandoffID] = tk.Reason
	}
	if len(got) != len(want) || fmt.Sprint(have) != fmt.Sprint(want) {
		t.Fatalf("open tickets %+v, want handoff→reason %v", got, want)
	}
}

// TestRouterRetriesThenTerminatesAfterMaxDeliver: a failing sink is retried
// after the Nak's delay on every attempt (with a consumer BackOff, the
// third delivery came 5 s late: see ConsumerConfig), until MaxDeliver.
func TestRouterRetriesThenTerminatesAfterMaxDeliver(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	hook.setStatus(http.StatusServiceUnavailable)
	rt := startRouting(t, f, hook, slack, RouterOptions{MaxDeliver: 3, RetryDelay: 20 * time.Millisecond})
	f.escalate(t, "u-retry", "notify", time.Now().UTC())
	waitHandled(t, rt, 1)
	reqs := hook.requests()
	if n, m := len(reqs), len(slack.requests()); n != 3 || m != 1 {
		t.Fatalf("failing webhook: got %d webhook and %d slack requests, want 3 (MaxDeliver) and 1 (recorded, not resent)", n, m)
	}
	for i := 1; i < len(reqs); i++ {
		if gap := reqs[i].At.Sub(reqs[i-1].At); gap >= DefaultAckWait/2 {
			t.Errorf("got delivery %d %v after delivery %d, want about the 20 ms Nak delay", i+1, gap, i)
		}
	}
	wantTickets(t, f, map[string]string{f.lastHandoff(t, "u-retry"): "router_poison"})
}

// fakeDealer is an in-process DealerTarget that records calls.
type fakeDealer struct {
	mu       sync.Mutex
	requests []string
	cancels  []string
	fail     error
}

func (d *fakeDealer) Request(_ context.Context, h store.Handoff, _ Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.requests = append(d.requests, h.ID)
	return d.fail
}

func (d *fakeDealer) Cancel(_ context.Context, h store.Handoff) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.cancels = append(d.cancels, h.ID)
	return nil
}

func (d *fakeDealer) calls() (int, int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.requests), len(d.cancels)
}

func TestRouterDealerTargets(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	good, bad := &fakeDealer{}, &fakeDealer{fail: errors.New("dealer down")}
	refused := &fakeDealer{fail: fmt.Errorf("status 400: %w", ErrDealerFailed)}
	rt := startRouting(t, f, hook, slack, RouterOptions{
		Dealers:    map[string]DealerTarget{"good": good, "bad": bad, "refused": refused},
		MaxDeliver: 2, RetryDelay: 20 * time.Millisecond,
	})
	at := time.Now().UTC()
	f.escalate(t, "u-good", "dealer:good", at)
	waitHandled(t, rt, 1)
	if r, _ := good.calls(); r != 1 || len(hook.requests()) != 0 {
		t.Fatalf("dealer:good: %d requests, %d notifications; want 1 and 0", r, len(hook.requests()))
	}
	f.escalate(t, "u-bad", "dealer:bad", at.Add(time.Millisecond))
	f.escalate(t, "u-missing", "dealer:missing", at.Add(2*time.Millisecond))
	waitHandled(t, rt, 3)
	if r, _ := bad.calls(); r != 2 {
		t.Fatalf("dealer:bad: %d requests, want 2 (MaxDeliver) before the fallback", r)
	}
	if n := len(hook.requests()); n != 2 {
		t.Fatalf("fallback: %d notifications, want 2 (failed dealer, missing dealer)", n)
	}

	f.escalate(t, "u-refused", "dealer:refused", at.Add(3*time.Millisecond))
	waitHandled(t, rt, 4)
	if r, _ := refused.calls(); r != 1 || len(hook.requests()) != 3 {
		t.Fatalf("dealer:refused: %d requests, %d notifications; want 1 (refused for good: no retry) and 3", r, len(hook.requests()))
	}
	wantTickets(t, f, map[string]string{f.lastHandoff(t, "u-bad"): "dealer_failed",
		f.lastHandoff(t, "u-missing"): "dealer_failed", f.lastHandoff(t, "u-refused"): "dealer_failed"})
	// A redelivery after the fallback goes to the sinks only (here the
	// webhook has the delivery recorded, so nothing is sent at all).
	republish(t, f, SubjectRequest("general"), f.lastHandoff(t, "u-refused"))
	waitHandled(t, rt, 5)
	if r, _ := refused.calls(); r != 1 || len(hook.requests()) != 3 {
		t.Fatalf("dealer:refused redelivered: %d requests, %d notifications; want 1 and 3", r, len(hook.requests()))
	}

	h := f.escalate(t, "u-cancel", "dealer:good", at.Add(4*time.Millisecond))
	waitHandled(t, rt, 6)
	f.end(t, h, at.Add(time.Second))
	republish(t, f, SubjectEvent(h.ID, EventCancel), h.ID)
	republish(t, f, SubjectEvent(h.ID, EventCancel), h.ID) // redelivery: recorded, not resent
	waitHandled(t, rt, 8)
	if _, c := good.calls(); c != 1 {
		t.Fatalf("dealer:good cancels: got %d, want 1", c)
	}
}
