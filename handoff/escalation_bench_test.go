package handoff

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/internal/proc"
)

// BenchmarkEscalationCPU measures the whole-process CPU of one escalation
// after its turn commits, the way `baton serve` runs it: the turn's commit
// (handoff row, turn, outbox request) and a Wake, then the relay's publish to
// the embedded JetStream (sync_interval: always), the router's consume, store
// reads and delivery record, and one signed webhook POST to a loopback sink
// (the example config's notify sink). Escalations arrive one at a time, as
// they do in the bench mix (≈ 4% of turns): each op waits for its
// notification. "commit-only" is the same commit without relay and router,
// so to-sink minus commit-only is the cost after the commit; to-sink-handed
// hands the committed rows to Relay.Committed (the store hook) instead of
// waking the relay to read them.
//
//	go test ./handoff -run '^$' -bench EscalationCPU -benchtime 500x
func BenchmarkEscalationCPU(b *testing.B) {
	b.Run("commit-only", func(b *testing.B) {
		f := newRouterFixture(b)
		at := time.Now().UTC()
		b.ResetTimer()
		cpu := processCPU(b)
		for i := range b.N {
			f.escalate(b, fmt.Sprintf("u-cpu-%d", i), "notify", at.Add(time.Duration(i)*time.Millisecond))
		}
		b.ReportMetric(float64((processCPU(b)-cpu).Microseconds())/float64(b.N), "cpu-µs/esc")
	})
	b.Run("to-sink", func(b *testing.B) { benchEscalationToSink(b, false) })
	b.Run("to-sink-handed", func(b *testing.B) { benchEscalationToSink(b, true) })
}

// benchEscalationToSink runs escalations one at a time to a signed webhook
// sink; handed hands each commit's rows to Relay.Committed instead of
// calling Wake (the relay then reads no outbox).
func benchEscalationToSink(b *testing.B, handed bool) {
	f := newRouterFixture(b)
	var hits atomic.Int64
	got := make(chan struct{}, 1)
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := Verify([]byte("bench-secret"), r.Header.Get(SignatureHeader), body, time.Now(), time.Minute); err != nil {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		hits.Add(1)
		got <- struct{}{}
	}))
	b.Cleanup(sink.Close)
	relay := NewRelay(f.db, f.js, nil)
	runUntilCleanup(b, relay.Run)
	cfg := []configs.Notify{{Kind: SinkWebhook, URL: sink.URL, Secret: "bench-secret", PII: true}}
	rt := NewRouter(f.db, f.js, NewSinks(cfg, nil, nil), nil, RouterOptions{Links: NewLinks([]byte("k"), "http://127.0.0.1")})
	runUntilCleanup(b, rt.Run)
	at := time.Now().UTC()
	b.ResetTimer()
	cpu := processCPU(b)
	for i := range b.N {
		f.escalate(b, fmt.Sprintf("u-cpu-%d", i), "notify", at.Add(time.Duration(i)*time.Millisecond))
		if handed {
			relay.Committed(f.outbox)
		} else {
			relay.Wake()
		}
		select {
		case <-got:
		case <-time.After(10 * time.Second):
			b.Fatalf("escalation %d: no notification within 10s", i)
		}
	}
	cpu = processCPU(b) - cpu
	b.StopTimer()
	if n := hits.Load(); n != int64(b.N) {
		b.Fatalf("sink got %d notifications, want %d", n, b.N)
	}
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/esc")
}

// processCPU returns the CPU time (user + system) this process has used.
func processCPU(tb testing.TB) time.Duration {
	tb.Helper()
	d, err := proc.CPU()
	if err != nil {
		tb.Fatalf("getrusage: %v", err)
	}
	return d
}
