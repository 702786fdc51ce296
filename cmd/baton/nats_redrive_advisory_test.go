package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testlog"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/nats-io/nats.go/jetstream"
)

// TestLateAdvisoryOfTheStartUpStreamRedrivesNothing: the server sends its
// stream-created advisory from a queue of its own, so the advisory of the
// stream start-up created (or found) can reach the subscription Run makes
// after it. Such an advisory — published here by hand, for the same
// stream — queues no request again; a stream created while Baton runs
// still re-drives the waiting handoff, once.
func TestLateAdvisoryOfTheStartUpStreamRedrivesNothing(t *testing.T) {
	t.Parallel()
	var logs testlog.Buffer
	clock := &testClock{t: mondayMorning}
	m := startBatonLogging(t, exampleConfig, t.TempDir(), clock,
		slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	s := newSession(t, m, clock, "ops-late-advisory")
	s.welcome()
	s.say("상담원")
	s.tap("네, 연결해 주세요")
	s.wantState(fsm.StateWaiting)
	id, _, _, _ := s.handoff()
	requests := func() int {
		t.Helper()
		var n int
		if err := m.DB.ReadDB().QueryRow(`SELECT count(*) FROM outbox WHERE subject LIKE 'baton.handoff.req.%' AND payload = ?`,
			[]byte(id)).Scan(&n); err != nil {
			t.Fatalf("count requests of %s: %v", id, err)
		}
		return n
	}
	if got := requests(); got != 1 {
		t.Fatalf("requests of %s after the handoff: got %d, want 1", id, got)
	}

	if err := m.NC.Publish("$JS.EVENT.ADVISORY.STREAM.CREATED."+handoff.StreamName, []byte("{}")); err != nil {
		t.Fatal(err)
	}
	testutil.CheckFor(t, 5*time.Second, 5*time.Millisecond, func() error {
		if requests() > 1 || strings.Contains(logs.String(), "nothing re-driven") {
			return nil
		}
		return fmt.Errorf("the advisory was neither skipped nor acted on")
	})
	if got := requests(); got != 1 {
		t.Errorf("requests of %s after an advisory of the start-up stream: got %d, want still 1", id, got)
	}

	js, err := jetstream.New(m.NC)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := js.DeleteStream(ctx, handoff.StreamName); err != nil {
		t.Fatal(err)
	}
	testutil.CheckFor(t, 10*time.Second, 10*time.Millisecond, func() error {
		if got := requests(); got != 2 {
			return fmt.Errorf("requests of %s after the stream was created again: got %d, want 2", id, got)
		}
		return nil
	})
}
