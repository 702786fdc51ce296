package handoff

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
)

// BenchmarkRouterThroughput measures the handoffs per second the router
// sustains: b.N committed escalations are published first, then the router
// (default workers) delivers each to a signed pii webhook and a Slack-style
// sink on loopback, with the store reads, context and delivery records of
// the real path.
//
//	go test ./handoff -run '^$' -bench RouterThroughput -benchtime 2000x
func BenchmarkRouterThroughput(b *testing.B) {
	f := newRouterFixture(b)
	var hits atomic.Int64
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	b.Cleanup(sink.Close)
	at := time.Now().UTC()
	for i := range b.N {
		f.escalate(b, fmt.Sprintf("u-bench-%d", i), "notify", at.Add(time.Duration(i)*time.Microsecond))
	}
	relay := NewRelay(f.db, f.js, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = relay.Run(ctx); close(done) }()
	checkForT(b, time.Minute, func() error {
		if n := relay.Published(); n != uint64(b.N) {
			return fmt.Errorf("published %d of %d", n, b.N)
		}
		return nil
	})
	cancel()
	<-done

	cfg := []configs.Notify{{Kind: SinkWebhook, URL: sink.URL, Secret: "s", PII: true}, {Kind: SinkSlack, URL: sink.URL}}
	rt := NewRouter(f.db, f.js, NewSinks(cfg, nil, nil), nil, RouterOptions{Links: NewLinks([]byte("k"), "http://127.0.0.1")})
	b.ResetTimer()
	start := time.Now()
	runUntilCleanup(b, rt.Run)
	for rt.Handled() < uint64(b.N) {
		time.Sleep(time.Millisecond)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	if got := hits.Load(); got != int64(2*b.N) {
		b.Fatalf("sinks got %d requests, want %d", got, 2*b.N)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "handoffs/s")
}
