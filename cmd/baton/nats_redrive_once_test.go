package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
	"github.com/nats-io/nats.go/jetstream"
)

// TestLostNATSStoreRedriveSkipsAnUnpublishedRequest: a start that creates
// the stream anew queues no second request for a waiting handoff whose
// request row is still unpublished (the relay publishes that one): the new
// stream holds one request for it, and each notify sink is told once.
func TestLostNATSStoreRedriveSkipsAnUnpublishedRequest(t *testing.T) {
	hook, slack := newSwitchableSink(t), newSwitchableSink(t)
	hook.fail.Store(true)
	slack.fail.Store(true)
	t.Setenv("BATON_NOTIFY_URL", hook.srv.URL+"/hook")
	t.Setenv("BATON_NOTIFY_SECRET", e2eNotifySecret)
	t.Setenv("BATON_SLACK_URL", slack.srv.URL+"/slack")
	clock := &testClock{t: mondayMorning}
	dataDir := t.TempDir()
	ctx := context.Background()

	m := startBatonLogging(t, exampleConfig, dataDir, clock, slog.New(slog.DiscardHandler))
	id := openHandoff(t, m, clock, "ops-nats-unpublished")
	testutil.CheckFor(t, 10*time.Second, 20*time.Millisecond, func() error {
		if n, _ := hook.got(id); n == 0 {
			return fmt.Errorf("the failing webhook sink was not tried for %s yet", id)
		}
		return nil
	})
	h, ok, err := m.DB.Handoff(ctx, id)
	if err != nil || !ok {
		t.Fatalf("handoff %s: found %v, err %v", id, ok, err)
	}
	http.DefaultClient.CloseIdleConnections()
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	// The JetStream store is lost, and the handoff's request row is
	// unpublished in baton.db (the relay never got it out, or it was acked
	// by the lost stream but not marked before the stop).
	if err := os.RemoveAll(filepath.Join(dataDir, "nats")); err != nil {
		t.Fatal(err)
	}
	queueUnpublished(t, filepath.Join(dataDir, "baton.db"), store.OutboxMsg{
		Subject: handoff.SubjectRequest(h.Queue), Payload: []byte(id), CreatedAt: clock.Now()})
	hook.fail.Store(false)
	slack.fail.Store(false)
	hookBefore, _ := hook.got(id)
	_, slackBefore := slack.got(id) // slack's text names the code, not the id: count all

	m2 := startBatonLogging(t, exampleConfig, dataDir, clock, slog.New(slog.DiscardHandler))
	js, err := jetstream.New(m2.NC)
	if err != nil {
		t.Fatal(err)
	}
	testutil.CheckFor(t, 10*time.Second, 20*time.Millisecond, func() error {
		return routerIdle(ctx, js, m2)
	})
	s, err := js.Stream(ctx, handoff.StreamName)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx, jetstream.WithSubjectFilter(handoff.SubjectRequest(h.Queue)))
	if err != nil {
		t.Fatal(err)
	}
	if got := info.State.Subjects[handoff.SubjectRequest(h.Queue)]; got != 1 {
		t.Errorf("requests for the waiting handoff on the new stream: got %d, want 1", got)
	}
	if n, _ := hook.got(id); n-hookBefore != 1 {
		t.Errorf("webhook sink after the restart: got %d requests for %s, want 1", n-hookBefore, id)
	}
	if _, n := slack.got(id); n-slackBefore != 1 {
		t.Errorf("slack sink after the restart: got %d requests, want 1", n-slackBefore)
	}
}

// queueUnpublished commits msg as a pending outbox row of the store at path
// while no baton serve runs.
func queueUnpublished(t *testing.T, path string, msg store.OutboxMsg) {
	t.Helper()
	db, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.QueueOutbox(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

// routerIdle returns nil once m's outbox is published and the router has
// finished every message on the stream.
func routerIdle(ctx context.Context, js jetstream.JetStream, m *Main) error {
	pending, err := m.DB.PendingOutbox(ctx, 10)
	if err != nil {
		return err
	}
	if len(pending) > 0 {
		return fmt.Errorf("%d outbox rows unpublished", len(pending))
	}
	cons, err := js.Consumer(ctx, handoff.StreamName, handoff.RouterName)
	if err != nil {
		return err
	}
	ci, err := cons.Info(ctx)
	if err != nil {
		return err
	}
	if ci.NumPending > 0 || ci.NumAckPending > 0 || ci.Delivered.Stream == 0 {
		return fmt.Errorf("router: %d messages pending, %d unacknowledged, last delivered %d",
			ci.NumPending, ci.NumAckPending, ci.Delivered.Stream)
	}
	return nil
}
