package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/baton-chat/baton/internal/proc"
)

// pct returns the p-th percentile (0..100) of sorted d.
func pct(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	i := int(float64(len(d)-1) * p / 100)
	return d[i]
}

// BenchmarkEscalationToSink measures, on loopback, the time from posting the
// turn that opens a handoff (the "네, 연결해 주세요" tap) to the receiver getting
// it — the webhook sink for the notify queue, the 상담톡 dealer for the vip
// queue — and in the same run the JetStream publish-ack latency of the same
// server (a publish to baton.bench.ack on Baton's own connection). Reported:
// p50/p99 of both in ms and their ratios, the p50 of the escalating
// turn's own answer (the part of the path before the relay), and the
// whole process's CPU per escalation (the confirm step and the client
// included, so compare it between builds, not with the handoff package's
// BenchmarkEscalationCPU).
//
//	go test ./cmd/baton -run '^$' -bench EscalationToSink -benchtime 300x
func BenchmarkEscalationToSink(b *testing.B) {
	b.Run("notify", func(b *testing.B) { benchEscalation(b, nil, "네, 연결해 주세요") })
	// vip asks for an order number after the confirm: skipping it commits.
	b.Run("dealer", func(b *testing.B) {
		benchEscalation(b, []string{"회원/계정", "VIP 전용 상담", "네, 연결해 주세요"}, "건너뛰기")
	})
}

// benchEscalation measures the turn tapping commit (after taps) that
// commits the handoff.
func benchEscalation(b *testing.B, taps []string, commit string) {
	got := make(chan struct {
		user string
		at   time.Time
	}, 1024)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		at := time.Now()
		body, _ := io.ReadAll(r.Body)
		var n struct {
			User struct {
				BotUserKey string `json:"bot_user_key"`
			} `json:"user"`
		}
		_ = json.Unmarshal(body, &n)
		got <- struct {
			user string
			at   time.Time
		}{n.User.BotUserKey, at}
	}))
	b.Cleanup(hook.Close)
	slack := newSinkRecorder(b)
	b.Setenv("BATON_NOTIFY_URL", hook.URL)
	b.Setenv("BATON_NOTIFY_SECRET", e2eNotifySecret)
	b.Setenv("BATON_SLACK_URL", slack.srv.URL)
	b.Setenv("BATON_DEALER_URL", hook.URL)
	b.Setenv("BATON_DEALER_SECRET", "bench-dealer-secret")
	clock := &testClock{t: mondayMorning}
	m := startBaton(b, exampleConfig, b.TempDir(), clock)
	js, err := jetstream.New(m.NC)
	if err != nil {
		b.Fatal(err)
	}
	client := &http.Client{Timeout: 10 * time.Second}

	var escal, acks, turns []time.Duration
	b.ResetTimer()
	cpu := processCPU(b)
	for i := range b.N {
		user := fmt.Sprintf("bench-esc-%d", i)
		// The confirm step is set-up; the measured turn is the one that
		// commits the handoff.
		tr := turn{User: user, IsFriend: true, Utterance: "상담원"}
		if len(taps) > 0 {
			tr = turn{User: user, IsFriend: true, Block: "웰컴 블록"}
		}
		r := benchTurn(b, m, tr)
		for _, label := range taps {
			next, ok := tapTurn(r, label)
			if !ok {
				b.Fatalf("no %q to tap", label)
			}
			next.User, next.IsFriend = user, true
			r = benchTurn(b, m, next)
		}
		yes, ok := tapTurn(r, commit)
		if !ok {
			b.Fatalf("no %q quick reply", commit)
		}
		yes.User, yes.IsFriend = user, true
		payload := yes.payload()
		start := time.Now()
		resp, err := client.Post("http://"+m.PublicAddr()+"/skill", "application/json", strings.NewReader(string(payload)))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		turns = append(turns, time.Since(start))
		select {
		case n := <-got:
			if n.user != user {
				b.Fatalf("notification for %q, want %q", n.user, user)
			}
			escal = append(escal, n.at.Sub(start))
		case <-time.After(10 * time.Second):
			b.Fatalf("%s: no notification within 10s", user)
		}

		t0 := time.Now()
		if _, err := js.PublishMsg(context.Background(), &nats.Msg{Subject: "baton.bench.ack", Data: []byte(user)}); err != nil {
			b.Fatal(err)
		}
		acks = append(acks, time.Since(t0))
	}
	cpu = processCPU(b) - cpu
	b.StopTimer()
	slices.Sort(escal)
	slices.Sort(acks)
	slices.Sort(turns)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(pct(escal, 50)), "esc-p50-ms")
	b.ReportMetric(ms(pct(escal, 99)), "esc-p99-ms")
	b.ReportMetric(ms(pct(turns, 50)), "turn-p50-ms")
	b.ReportMetric(ms(pct(acks, 50)), "jsack-p50-ms")
	b.ReportMetric(ms(pct(acks, 99)), "jsack-p99-ms")
	b.ReportMetric(float64(pct(escal, 50))/float64(pct(acks, 50)), "p50-ratio")
	b.ReportMetric(float64(pct(escal, 99))/float64(pct(acks, 99)), "p99-ratio")
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/esc")
	b.ReportMetric(0, "ns/op")
}

func benchTurn(b *testing.B, m *Main, tr turn) response {
	b.Helper()
	code, body := postSkill(b, m, tr.payload(), nil)
	if code != 200 {
		b.Fatalf("status %d", code)
	}
	return parseResponse(b, body)
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
