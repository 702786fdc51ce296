package handoff_test

import (
	"context"
	"errors"
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

// timedHit is one request a timedDealer received.
type timedHit struct {
	at          time.Time
	path, query string
}

// timedDealer is a loopback dealer answering with answer(n, w) for the n-th
// request (1-based) and recording when and where each one arrived.
func timedDealer(t *testing.T, answer func(n int, w http.ResponseWriter)) (*httptest.Server, func() []timedHit) {
	t.Helper()
	var mu sync.Mutex
	var hits []timedHit
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		mu.Lock()
		hits = append(hits, timedHit{time.Now(), r.URL.Path, r.URL.RawQuery})
		n := len(hits)
		mu.Unlock()
		answer(n, w)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []timedHit { mu.Lock(); defer mu.Unlock(); return append([]timedHit(nil), hits...) }
}

// TestDealerURLWithQueryKeepsPath: a dealer url that carries a query (a
// function key, a tenant: "https://x.example/api/baton?code=KEY"), which
// `baton validate` accepts, gets /handoffs and /handoffs/{id}/cancel joined
// to its path and its query kept on both calls. Before, the paths were
// glued onto the query: both calls reached the bare base path, and the query
// value was corrupted ("KEY/handoffs").
func TestDealerURLWithQueryKeepsPath(t *testing.T) {
	srv, hits := timedDealer(t, func(int, http.ResponseWriter) {})
	c := handoff.NewDealerClient("happytalk", configs.Dealer{URL: srv.URL + "/api/baton?code=KEY", Secret: "s"}, "bot", nil)
	ctx := context.Background()
	if err := c.Request(ctx, testHandoff, testContext); err != nil {
		t.Fatal(err)
	}
	h := testHandoff
	h.EndReason, h.EndedAt = "user_cancel", time.Now()
	if err := c.Cancel(ctx, h); err != nil {
		t.Fatal(err)
	}
	got := hits()
	want := []timedHit{{path: "/api/baton/handoffs", query: "code=KEY"},
		{path: "/api/baton/handoffs/" + testHandoff.ID + "/cancel", query: "code=KEY"}}
	if len(got) != len(want) {
		t.Fatalf("dealer got %d calls, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].path != w.path || got[i].query != w.query {
			t.Errorf("call %d reached path %q query %q, want path %q query %q", i+1, got[i].path, got[i].query, w.path, w.query)
		}
	}
}

// TestDealerURLWithoutPath: a dealer url that is only an origin, with or
// without a trailing slash, gets the calls at /handoffs.
func TestDealerURLWithoutPath(t *testing.T) {
	for _, suffix := range []string{"", "/"} {
		srv, hits := timedDealer(t, func(int, http.ResponseWriter) {})
		c := handoff.NewDealerClient("happytalk", configs.Dealer{URL: srv.URL + suffix, Secret: "s"}, "bot", nil)
		if err := c.Request(context.Background(), testHandoff, testContext); err != nil {
			t.Fatal(err)
		}
		if got := hits(); len(got) != 1 || got[0].path != "/handoffs" || got[0].query != "" {
			t.Errorf("url %q: dealer got %+v, want one call at /handoffs", srv.URL+suffix, got)
		}
	}
}

// TestDealerURLUnusable: a url Baton cannot call (validate refuses it; a
// client built with one all the same) fails every call for good without
// posting, and the error does not quote the url (it may carry a token).
func TestDealerURLUnusable(t *testing.T) {
	for _, raw := range []string{"://secret-token", "dealer.example.com/baton?code=secret-token", ""} {
		c := handoff.NewDealerClient("happytalk", configs.Dealer{URL: raw, Secret: "s"}, "bot", nil)
		err := c.Request(context.Background(), testHandoff, testContext)
		if !errors.Is(err, handoff.ErrDealerFailed) {
			t.Errorf("url %q: request error %v, want one wrapping ErrDealerFailed", raw, err)
		}
		if err != nil && raw != "" && strings.Contains(err.Error(), "secret-token") {
			t.Errorf("url %q: error %q quotes the url", raw, err)
		}
		if err := c.Cancel(context.Background(), testHandoff); !errors.Is(err, handoff.ErrDealerFailed) {
			t.Errorf("url %q: cancel error %v, want one wrapping ErrDealerFailed", raw, err)
		}
	}
}
