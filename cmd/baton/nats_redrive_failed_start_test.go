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

// TestLostNATSStoreRedriveSurvivesFailedStart: docs/ops.md ("A lost
// JetStream store", and the runbook for a damaged message block) promises
// that the waiting handoffs' requests are queued again when <data>/nats is
// lost. A start that creates the BATON stream and then fails before it
// queued them (here a mistyped BATON_HOURS_OVERRIDE; equally a bad
// holidays file, SIGTERM or a crash during start) must not lose them: the
// corrected restart finds the stream and cannot tell it was lost. So
// startNATS queues the requests in the outbox before it creates the stream
// (durable in baton.db), and the good start after the failed one delivers
// the request — once: it queues no second one next to the failed start's
// still unpublished row (DESIGN §9: never lose an acknowledged handoff).
func TestLostNATSStoreRedriveSurvivesFailedStart(t *testing.T) {
	ls := setupLostStore(t, "ops-nats-lost-failed-start")
	env, hook, clock, dataDir, id, before := ls.env, ls.hook, ls.clock, ls.dataDir, ls.id, ls.before
	ctx := context.Background()

	// The first start after that fails on a typo in the environment, after
	// startNATS created the stream.
	bad := testEnv{}
	for k, v := range env {
		bad[k] = v
	}
	bad["BATON_HOURS_OVERRIDE"] = "opne"
	failed := NewMain()
	failed.ConfigPath = exampleConfig
	failed.Addr, failed.AdminAddr = "127.0.0.1:0", "127.0.0.1:0"
	failed.DataDir = dataDir
	failed.Logger = slog.New(slog.DiscardHandler)
	failed.Now = clock.Now
	failed.Env = bad.lookup
	if err := failed.Run(ctx); err == nil {
		_ = failed.Close()
		t.Fatal("start with BATON_HOURS_OVERRIDE=opne: got no error, want one")
	}
	_ = failed.Close()

	// The operator fixes the environment and starts again.
	m2 := startBatonLogging(t, exampleConfig, dataDir, clock, slog.New(slog.DiscardHandler), env.configure)
	s2 := newSession(t, m2, clock, "ops-nats-lost-failed-start")
	s2.wantState(fsm.StateWaiting)
	testutil.CheckFor(t, 20*time.Second, 100*time.Millisecond, func() error {
		if n, all := hook.got(id); n <= before {
			return fmt.Errorf("after a failed start and a good one on a lost JetStream store, the webhook sink got nothing about waiting handoff %s (%d requests in all): its request was never queued again", id, all)
		}
		return nil
	})
	js, err := jetstream.New(m2.NC)
	if err != nil {
		t.Fatal(err)
	}
	testutil.CheckFor(t, 10*time.Second, 20*time.Millisecond, func() error {
		return routerIdle(ctx, js, m2)
	})
	stream, err := js.Stream(ctx, handoff.StreamName)
	if err != nil {
		t.Fatal(err)
	}
	info, err := stream.Info(ctx, jetstream.WithSubjectFilter(handoff.SubjectRequest(ls.queue)))
	if err != nil {
		t.Fatal(err)
	}
	if got := info.State.Subjects[handoff.SubjectRequest(ls.queue)]; got != 1 {
		t.Errorf("requests for the waiting handoff on the new stream after a failed start and a good one: got %d, want 1", got)
	}
	if n, _ := hook.got(id); n-before != 1 {
		t.Errorf("webhook sink after the restarts: got %d requests for %s, want 1", n-before, id)
	}
}
