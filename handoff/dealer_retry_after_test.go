package handoff_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/handoff"
)

// TestDealerRetryAfterHTTPDate: a 503 with Retry-After as an HTTP-date
// (RFC 9110 §10.2.3 allows either form) 3 s ahead is honoured like
// "Retry-After: 3". Before, it was ignored: the call retried after the
// 0.5 s backoff, as if the dealer had said nothing.
func TestDealerRetryAfterHTTPDate(t *testing.T) {
	srv, hits := timedDealer(t, func(n int, w http.ResponseWriter) {
		if n == 1 {
			w.Header().Set("Retry-After", time.Now().Add(3*time.Second).UTC().Format(http.TimeFormat))
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	})
	c := handoff.NewDealerClient("happytalk", configs.Dealer{URL: srv.URL, Secret: "s"}, "bot", nil)
	_ = c.Request(context.Background(), testHandoff, testContext)
	got := hits()
	if len(got) < 2 {
		return // the call ended without retrying in it: the pause was honoured
	}
	if gap := got[1].at.Sub(got[0].at); gap < 2*time.Second {
		t.Fatalf("retried %s after a 503 whose Retry-After (HTTP-date) asked for 3 s", gap.Round(time.Millisecond))
	}
}

// TestDealerRetryAfterTooLong: a Retry-After past the call's budget — a
// date next week, or more seconds than a time.Duration holds — ends the
// call after the one attempt (the router retries later); it is never
// overflowed into a short pause and retried at once.
func TestDealerRetryAfterTooLong(t *testing.T) {
	for _, v := range []string{
		time.Now().Add(7 * 24 * time.Hour).UTC().Format(http.TimeFormat),
		"9223372037",           // seconds: × 1e9 overflows int64 nanoseconds
		"99999999999999999999", // more than a uint64
	} {
		srv, hits := timedDealer(t, func(n int, w http.ResponseWriter) {
			w.Header().Set("Retry-After", v)
			w.WriteHeader(http.StatusTooManyRequests)
		})
		c := handoff.NewDealerClient("happytalk", configs.Dealer{URL: srv.URL, Secret: "s"}, "bot", nil)
		c.Backoff = time.Millisecond
		err := c.Request(context.Background(), testHandoff, testContext)
		if !errors.Is(err, handoff.ErrDealerUnavailable) {
			t.Errorf("Retry-After %q: error %v, want one wrapping ErrDealerUnavailable", v, err)
		}
		if n := len(hits()); n != 1 {
			t.Errorf("Retry-After %q: %d attempts, want 1 (the pause does not fit the budget)", v, n)
		}
	}
}

// TestDealerRetryAfterPastOrBad: a date already past, or a value that is
// neither form, leaves the backoff in place: the call retries.
func TestDealerRetryAfterPastOrBad(t *testing.T) {
	for _, v := range []string{time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat), "-5", "soon"} {
		srv, hits := timedDealer(t, func(n int, w http.ResponseWriter) {
			if n == 1 {
				w.Header().Set("Retry-After", v)
				w.WriteHeader(http.StatusServiceUnavailable)
			}
		})
		c := handoff.NewDealerClient("happytalk", configs.Dealer{URL: srv.URL, Secret: "s"}, "bot", nil)
		c.Backoff = time.Millisecond
		if err := c.Request(context.Background(), testHandoff, testContext); err != nil {
			t.Errorf("Retry-After %q: %v, want the retry to succeed", v, err)
		}
		if n := len(hits()); n != 2 {
			t.Errorf("Retry-After %q: %d attempts, want 2", v, n)
		}
	}
}
