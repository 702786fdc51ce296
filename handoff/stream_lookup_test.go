package handoff

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// startLookupDenied starts an in-process JetStream server with two users:
// "admin", allowed everything, and "baton", allowed everything but the
// BATON stream's info request (the lookup EnsureStream makes first). It
// returns a JetStream context for each; baton's requests time out after
// timeout when they get no answer.
func startLookupDenied(t *testing.T, timeout time.Duration) (admin, baton jetstream.JetStream) {
	t.Helper()
	srv, err := server.NewServer(&server.Options{
		ServerName: "baton-lookup-denied",
		JetStream:  true,
		StoreDir:   filepath.Join(t.TempDir(), "nats"),
		DontListen: true,
		NoSigs:     true,
		NoLog:      true,
		Users: []*server.User{
			{Username: "admin", Password: "admin"},
			{Username: "baton", Password: "baton", Permissions: &server.Permissions{
				Publish: &server.SubjectPermission{
					Allow: []string{">"},
					Deny:  []string{"$JS.API.STREAM.INFO." + StreamName},
				},
			}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		srv.Shutdown()
		t.Fatal("nats server not ready")
	}
	t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	connect := func(user string, opts ...jetstream.JetStreamOpt) jetstream.JetStream {
		nc, err := nats.Connect("", nats.InProcessServer(srv), nats.UserInfo(user, user),
			nats.ErrorHandler(func(*nats.Conn, *nats.Subscription, error) {})) // the denied publish, reported async
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(nc.Close)
		js, err := jetstream.New(nc, opts...)
		if err != nil {
			t.Fatal(err)
		}
		return js
	}
	return connect("admin"), connect("baton", jetstream.WithDefaultTimeout(timeout))
}

// TestEnsureStreamLookupFailureUpdatesNothing: when EnsureStream cannot look
// the stream up for a reason other than "not found" (here its info request
// gets no answer), it returns that error and leaves the existing stream as
// it is, rather than updating it to settings computed without it (on a
// cluster: fewer replicas).
func TestEnsureStreamLookupFailureUpdatesNothing(t *testing.T) {
	t.Parallel()
	admin, baton := startLookupDenied(t, 300*time.Millisecond)
	ctx := context.Background()
	cfg := StreamConfig(1)
	cfg.MaxAge = time.Hour // an operator's setting EnsureStream would reset
	if _, err := admin.CreateStream(ctx, cfg); err != nil {
		t.Fatal(err)
	}

	// No deadline on ctx: each request gets its own 300 ms, so an update
	// after the failed lookup would still be answered.
	_, err := EnsureStream(ctx, baton, 1)
	if err == nil {
		t.Fatal("EnsureStream after a failed lookup: got nil error, want the lookup's error")
	}
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		t.Errorf("EnsureStream: got %v, want an error other than not found", err)
	}
	s, err := admin.Stream(ctx, StreamName)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.CachedInfo().Config.MaxAge; got != time.Hour {
		t.Errorf("stream MaxAge after the failed lookup: got %v, want %v (not updated)", got, time.Hour)
	}
}
