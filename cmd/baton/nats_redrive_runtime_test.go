package main

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/nats-io/nats.go/jetstream"
)

// TestStreamLostWhileRunningRedrivesWaitingHandoffs: the BATON stream is
// deleted while Baton runs and a handoff waits whose request the router has
// not delivered yet (the sinks fail). The router creates the stream again,
// and the waiting handoff's request is queued again at once — no restart —
// so the sink, back up, is told about it; a sink already told is not told
// twice.
func TestStreamLostWhileRunningRedrivesWaitingHandoffs(t *testing.T) {
	t.Parallel()
	hook, slack := newSwitchableSink(t), newSwitchableSink(t)
	hook.fail.Store(true)
	env := testEnv{}
	env["BATON_NOTIFY_URL"] = hook.srv.URL + "/hook"
	env["BATON_NOTIFY_SECRET"] = e2eNotifySecret
	env["BATON_SLACK_URL"] = slack.srv.URL + "/slack"
	clock := &testClock{t: mondayMorning}
	m := startBatonLogging(t, exampleConfig, t.TempDir(), clock, slog.New(slog.DiscardHandler), env.configure)
	s := newSession(t, m, clock, "ops-stream-lost")
	s.welcome()
	s.say("상담원")
	s.tap("네, 연결해 주세요")
	s.wantState(fsm.StateWaiting)
	id, _, _, _ := s.handoff()
	// The request reached the router: slack was told, the webhook failed
	// and the request waits for its retry (5 s away) in the stream.
	testutil.CheckFor(t, 10*time.Second, 10*time.Millisecond, func() error {
		if n, _ := hook.got(id); n == 0 {
			return fmt.Errorf("no webhook attempt for %s yet", id)
		}
		if _, all := slack.got(id); all == 0 { // slack is pii: false, the body names no id
			return fmt.Errorf("slack not told of %s yet", id)
		}
		return nil
	})

	js, err := jetstream.New(m.NC)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := js.DeleteStream(ctx, handoff.StreamName); err != nil {
		t.Fatal(err)
	}
	hook.fail.Store(false)
	before, _ := hook.got(id)
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		if n, all := hook.got(id); n <= before {
			return fmt.Errorf("the webhook sink got nothing more about waiting handoff %s after the stream was lost (%d requests in all)", id, all)
		}
		return nil
	})
	if _, all := slack.got(id); all != 1 {
		t.Errorf("slack told of %s %d times, want once (its delivery was recorded)", id, all)
	}
}
