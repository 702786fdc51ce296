package handoff

import (
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/testlog"
)

// TestRelayPanicIsAFailedPass: a pass that panics (here the ack observer,
// on its first call) does not take the relay down: it counts as a failed
// pass, is logged once at ERROR with its stack, and the next pass reads
// the outbox and publishes every row, each stored and counted once; a row
// committed later is published too.
func TestRelayPanicIsAFailedPass(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	at := time.Now().UTC()
	for i := range 3 {
		f.escalate(t, fmt.Sprintf("u-relay-panic-%d", i), "notify", at.Add(time.Duration(i)*time.Millisecond))
	}
	var logs testlog.Buffer
	r := NewRelay(f.db, f.js, slog.New(slog.NewTextHandler(&logs, nil)))
	r.Sweep = time.Hour // only the read after the failed pass finds the rows
	var acks atomic.Int32
	r.SetAckObserver(func(time.Duration) {
		if acks.Add(1) == 1 {
			var m map[string]int
			m["ack"]++ // panics: assignment to entry in nil map
		}
	})
	runUntilCleanup(t, r.Run)
	noneLeft := func() error {
		if n := pendingCount(t, f); n != 0 {
			return fmt.Errorf("%d rows still pending", n)
		}
		return nil
	}
	checkForT(t, 5*time.Second, noneLeft)
	f.escalate(t, "u-relay-panic-late", "notify", at.Add(time.Second))
	r.Wake()
	checkForT(t, 5*time.Second, noneLeft)

	if got := len(streamMsgs(t, f.js)); got != 4 {
		t.Errorf("got %d messages in the stream, want 4", got)
	}
	// The panic came after the first pass's acks: each row counts once,
	// in Published and in the ack histogram.
	if got := r.Published(); got != 4 {
		t.Errorf("got %d rows published, want 4 (each row once)", got)
	}
	if got := histogramCount(t, r.ackSeconds); got != 4 {
		t.Errorf("got baton_outbox_publish_ack_seconds count %d, want 4 (each row once)", got)
	}
	if got := counterValue(t, r.failures); got != 1 {
		t.Errorf("got baton_outbox_publish_failures_total %v, want 1 (the panicked pass)", got)
	}
	out := logs.String()
	if got := strings.Count(out, "level=ERROR"); got != 1 {
		t.Errorf("got %d ERROR lines, want 1 (the panic):\n%s", got, out)
	}
	for _, want := range []string{"assignment to entry in nil map", "stack=", "outbox_panic_test.go"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}
