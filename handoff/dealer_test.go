package handoff_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/store"
)

var _ handoff.DealerTarget = (*handoff.DealerClient)(nil)

// received is one request a dealerRecorder got.
type received struct {
	Method, Path string
	Header       http.Header
	Body         []byte
}

// dealerRecorder is a loopback dealer that answers the queued statuses in
// order (then 200) and records every request's exact bytes.
type dealerRecorder struct {
	mu       sync.Mutex
	statuses []int
	got      []received
	srv      *httptest.Server
}

func newDealerRecorder(t *testing.T, statuses ...int) *dealerRecorder {
	t.Helper()
	r := &dealerRecorder{statuses: statuses}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, received{req.Method, req.URL.Path, req.Header.Clone(), body})
		status := http.StatusOK
		if len(r.statuses) > 0 {
			status, r.statuses = r.statuses[0], r.statuses[1:]
		}
		r.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *dealerRecorder) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// usersDB is a real store holding one user with an app user id.
func usersDB(t *testing.T) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "baton.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	at := time.Date(2026, 11, 28, 3, 58, 0, 0, time.UTC)
	err = db.Commit(ctx, &store.TurnWrite{
		User: store.User{Key: "bu-1", BotID: "bot-1", PlusfriendKey: "pf-1", AppUserID: "app-77", LastSeen: at},
		Conv: fsm.Conversation{UserKey: "bu-1", State: fsm.StateBot},
	})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

var (
	testHandoff = store.Handoff{
		ID: "01JD0000000000000000000000", Code: "A7K2", UserKey: "bu-1", BotID: "bot-1", PlusfriendKey: "pf-1",
		Queue: "vip", Target: "dealer:happytalk", Reason: "keyword", MenuPath: []string{"main", "billing"},
		FAQMisses: 2, CreatedAt: time.Date(2026, 11, 28, 3, 59, 30, 250e6, time.UTC),
	}
	testContext = handoff.Context{
		MenuPath:  []string{"main", "billing"},
		FAQMisses: 2,
		Turns: []handoff.ContextTurn{
			{At: time.Date(2026, 11, 28, 3, 59, 0, 0, time.UTC), From: handoff.FromUser, Text: "환불 010-****-****"},
			{At: time.Date(2026, 11, 28, 12, 59, 1, 0, time.FixedZone("KST", 9*3600)), From: handoff.FromBot, Text: "faq:refund"},
		},
		Intake: map[string]string{"order": "A-1001"},
	}
	sendAt = time.Unix(1795838400, 0)
)

const wantRequestBody = `{"version":1,"id":"01JD0000000000000000000000","code":"A7K2","queue":"vip","reason":"keyword",` +
	`"created_at":"2026-11-28T03:59:30Z","test":false,"user":{"bot_user_key":"bu-1","plusfriend_user_key":"pf-1"},` +
	`"bot":{"id":"bot-1","name":"샘플몰"},"context":{"menu_path":["main","billing"],"faq_misses":2,` +
	`"turns":[{"at":"2026-11-28T03:59:00Z","from":"user","text":"환불 010-****-****"},` +
	`{"at":"2026-11-28T03:59:01Z","from":"bot","text":"faq:refund"}],"intake":{"order":"A-1001"}}}`

func newClient(t *testing.T, r *dealerRecorder, pii bool, users handoff.Users) *handoff.DealerClient {
	t.Helper()
	c := handoff.NewDealerClient("happytalk", configs.Dealer{URL: r.srv.URL + "/baton/", Secret: "s3cret", PII: pii}, "샘플몰", users)
	c.Backoff = time.Millisecond
	c.Now = func() time.Time { return sendAt }
	return c
}

func TestDealerRequestWire(t *testing.T) {
	r := newDealerRecorder(t)
	c := newClient(t, r, false, usersDB(t))
	if err := c.Request(context.Background(), testHandoff, testContext); err != nil {
		t.Fatal(err)
	}
	got := r.requests()
	if len(got) != 1 {
		t.Fatalf("got %d requests, want 1", len(got))
	}
	req := got[0]
	if req.Method != http.MethodPost || req.Path != "/baton/handoffs" {
		t.Errorf("got %s %s, want POST /baton/handoffs", req.Method, req.Path)
	}
	if diff := cmp.Diff(wantRequestBody, string(req.Body)); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	wantHeaders := map[string]string{
		"Content-Type":      "application/json",
		"Idempotency-Key":   testHandoff.ID,
		"X-Baton-Signature": handoff.Sign([]byte("s3cret"), sendAt, []byte(wantRequestBody)),
	}
	for k, want := range wantHeaders {
		if got := req.Header.Get(k); got != want {
			t.Errorf("header %s: got %q, want %q", k, got, want)
		}
	}
	if err := handoff.Verify([]byte("s3cret"), req.Header.Get("X-Baton-Signature"), req.Body, sendAt, time.Minute); err != nil {
		t.Errorf("the dealer cannot verify what it received: %v", err)
	}
}

func TestDealerRequestPII(t *testing.T) {
	r := newDealerRecorder(t)
	c := newClient(t, r, true, usersDB(t))
	if err := c.Request(context.Background(), testHandoff, testContext); err != nil {
		t.Fatal(err)
	}
	want := `"user":{"bot_user_key":"bu-1","plusfriend_user_key":"pf-1","app_user_id":"app-77"}`
	if body := string(r.requests()[0].Body); !contains(body, want) {
		t.Fatalf("got %s, want it to contain %s", body, want)
	}
}

func TestDealerRequestEmptyContext(t *testing.T) {
	r := newDealerRecorder(t)
	c := newClient(t, r, false, nil)
	h := testHandoff
	h.MenuPath, h.FAQMisses, h.Test = nil, 0, true
	if err := c.Request(context.Background(), h, handoff.Context{}); err != nil {
		t.Fatal(err)
	}
	want := `"test":true,` + `"user":{"bot_user_key":"bu-1","plusfriend_user_key":"pf-1"},"bot":{"id":"bot-1","name":"샘플몰"},` +
		`"context":{"menu_path":[],"faq_misses":0,"turns":[],"intake":{}}}`
	if body := string(r.requests()[0].Body); !contains(body, want) {
		t.Fatalf("got %s, want it to end with %s", body, want)
	}
}

func TestDealerRetries(t *testing.T) {
	tests := []struct {
		name      string
		statuses  []int
		attempts  int
		wantErr   error // nil, ErrDealerFailed or ErrDealerUnavailable
		wantCalls int
	}{
		{"500 then 200", []int{500, 200}, 3, nil, 2},
		{"503, 429, then 201", []int{503, 429, 201}, 3, nil, 3},
		{"408 then 409 (already have it)", []int{408, 409}, 3, nil, 2},
		{"409 first", []int{409}, 3, nil, 1},
		{"400 is final", []int{400}, 3, handoff.ErrDealerFailed, 1},
		{"500 then 404", []int{500, 404}, 3, handoff.ErrDealerFailed, 2},
		{"500 three times", []int{500, 500, 500, 200}, 3, handoff.ErrDealerUnavailable, 3},
		{"302 is not success", []int{302, 302}, 2, handoff.ErrDealerUnavailable, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newDealerRecorder(t, tc.statuses...)
			c := newClient(t, r, false, nil)
			c.Attempts = tc.attempts
			err := c.Request(context.Background(), testHandoff, testContext)
			if tc.wantErr == nil && err != nil {
				t.Fatalf("got %v, want nil", err)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Fatalf("got %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr == handoff.ErrDealerFailed && errors.Is(err, handoff.ErrDealerUnavailable) {
				t.Fatalf("got %v: final and transient at once", err)
			}
			got := r.requests()
			if len(got) != tc.wantCalls {
				t.Fatalf("got %d calls, want %d", len(got), tc.wantCalls)
			}
			for i, req := range got {
				if string(req.Body) != wantRequestBody || req.Header.Get("Idempotency-Key") != testHandoff.ID {
					t.Fatalf("attempt %d sent a different body or key: %s", i+1, req.Body)
				}
			}
		})
	}
}

func TestDealerUnreachable(t *testing.T) {
	r := newDealerRecorder(t)
	r.srv.Close()
	c := newClient(t, r, false, nil)
	err := c.Request(context.Background(), testHandoff, testContext)
	var de *handoff.DealerError
	if !errors.Is(err, handoff.ErrDealerUnavailable) || !errors.As(err, &de) || de.Attempts != 3 || de.Status != 0 {
		t.Fatalf("got %v, want ErrDealerUnavailable after 3 attempts without a status", err)
	}
}

func TestDealerBudget(t *testing.T) {
	r := newDealerRecorder(t, 500, 500, 500)
	c := newClient(t, r, false, nil)
	c.Backoff = time.Hour // longer than the budget: no second attempt
	c.Budget = time.Second
	err := c.Request(context.Background(), testHandoff, testContext)
	if !errors.Is(err, handoff.ErrDealerUnavailable) || len(r.requests()) != 1 {
		t.Fatalf("got %v after %d calls, want ErrDealerUnavailable after 1", err, len(r.requests()))
	}
}

func TestDealerCancelWire(t *testing.T) {
	r := newDealerRecorder(t, 500, 200)
	c := newClient(t, r, false, nil)
	h := testHandoff
	h.EndReason, h.EndedAt = "wait_timeout", time.Date(2026, 11, 28, 4, 10, 0, 0, time.UTC)
	if err := c.Cancel(context.Background(), h); err != nil {
		t.Fatal(err)
	}
	got := r.requests()
	if len(got) != 2 {
		t.Fatalf("got %d calls, want 2", len(got))
	}
	want := `{"version":1,"id":"01JD0000000000000000000000","code":"A7K2","reason":"wait_timeout","at":"2026-11-28T04:10:00Z"}`
	req := got[1]
	if req.Path != "/baton/handoffs/01JD0000000000000000000000/cancel" || string(req.Body) != want {
		t.Fatalf("got %s %s, want /baton/handoffs/{id}/cancel %s", req.Path, req.Body, want)
	}
	if req.Header.Get("Idempotency-Key") != h.ID+":cancel" || req.Header.Get("X-Baton-Signature") != handoff.Sign([]byte("s3cret"), sendAt, []byte(want)) {
		t.Fatalf("got headers %v, want the idempotency key and signature", req.Header)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func BenchmarkDealerRequestBody(b *testing.B) {
	c := handoff.NewDealerClient("happytalk", configs.Dealer{URL: "http://127.0.0.1:1", Secret: "s3cret"}, "샘플몰", nil)
	ctx := context.Background()
	for b.Loop() {
		if _, err := c.RequestBody(ctx, testHandoff, testContext); err != nil {
			b.Fatal(err)
		}
	}
}
