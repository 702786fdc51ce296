package handoff_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/handoff"
)

// TestDealerCancelHasItsOwnIdempotencyKey: a dealer that deduplicates on
// Idempotency-Key, as the contract invites (§2.3: 409 is "the normal answer
// to a repeated Idempotency-Key"), runs the cancel after the request: the
// cancel's key is "<handoff id>:cancel", not the request's. Before, it
// carried the request's key, so the dealer answered 409, Baton took that as
// done, and the user stayed in the dealer's queue.
func TestDealerCancelHasItsOwnIdempotencyKey(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]bool{}
	var processed, keys []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		key := r.Header.Get("Idempotency-Key")
		keys = append(keys, key)
		if seen[key] {
			w.WriteHeader(http.StatusConflict) // "I already have it"
			return
		}
		seen[key] = true
		processed = append(processed, r.URL.Path)
	}))
	t.Cleanup(srv.Close)
	c := handoff.NewDealerClient("happytalk", configs.Dealer{URL: srv.URL, Secret: "s"}, "bot", nil)
	ctx := context.Background()
	if err := c.Request(ctx, testHandoff, testContext); err != nil {
		t.Fatal(err)
	}
	h := testHandoff
	h.EndReason, h.EndedAt = "user_cancel", time.Now()
	if err := c.Cancel(ctx, h); err != nil {
		t.Fatalf("cancel: %v", err)
	}
	// A repeated cancel (the router's redelivery) is the dealer's repeat.
	if err := c.Cancel(ctx, h); err != nil {
		t.Fatalf("repeated cancel: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if want := []string{testHandoff.ID, handoff.CancelKey(testHandoff.ID), handoff.CancelKey(testHandoff.ID)}; strings.Join(keys, " ") != strings.Join(want, " ") {
		t.Errorf("Idempotency-Keys %q, want %q", keys, want)
	}
	if handoff.CancelKey(testHandoff.ID) != testHandoff.ID+":cancel" {
		t.Errorf("CancelKey(%q) = %q, want %q", testHandoff.ID, handoff.CancelKey(testHandoff.ID), testHandoff.ID+":cancel")
	}
	for _, p := range processed {
		if strings.HasSuffix(p, "/cancel") {
			return
		}
	}
	t.Fatalf("Cancel reported success but the dealer only processed %v: the cancel reuses the request's "+
		"Idempotency-Key %q, its 409 is taken as done, and the user stays in the dealer's queue", processed, testHandoff.ID)
}
