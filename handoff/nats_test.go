package handoff

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

func startEmbedded(t *testing.T, dir string) (*Embedded, jetstream.JetStream) {
	t.Helper()
	e, err := StartEmbedded(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	nc, err := e.Connect("test")
	if err != nil {
		e.Shutdown()
		t.Fatal(err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close(); e.Shutdown() })
	return e, js
}

func TestStreamSettingsDedupeAndRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	e, js := startEmbedded(t, dir)

	for range 2 { // idempotent
		if _, err := EnsureStream(ctx, js, 1); err != nil {
			t.Fatal(err)
		}
	}
	s, err := js.Stream(ctx, StreamName)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c := info.Config
	if c.Storage != jetstream.FileStorage || c.Duplicates != 2*time.Minute || c.MaxAge != 14*24*time.Hour || !c.AllowMsgSchedules {
		t.Fatalf("stream config: storage %v duplicates %v max age %v schedules %v", c.Storage, c.Duplicates, c.MaxAge, c.AllowMsgSchedules)
	}

	// The outbox relay publishes with the outbox row's ULID as Msg-Id; a
	// repeat after a crash is dropped by the dedupe window.
	msg := &nats.Msg{Subject: SubjectRequest("general"), Data: []byte("01HANDOFF"), Header: nats.Header{}}
	msg.Header.Set(jetstream.MsgIDHeader, "01OUTBOXROW")
	a1, err := js.PublishMsg(ctx, msg)
	if err != nil {
		t.Fatal(err)
	}
	a2, err := js.PublishMsg(ctx, msg)
	if err != nil {
		t.Fatal(err)
	}
	if a1.Duplicate || !a2.Duplicate || a1.Sequence != a2.Sequence {
		t.Fatalf("first ack %+v, second %+v: want the second flagged duplicate of the first", a1, a2)
	}

	// Restart on the same directory: the stream and its message are there.
	e.Shutdown()
	_, js2 := startEmbedded(t, dir)
	s2, err := EnsureStream(ctx, js2, 1)
	if err != nil {
		t.Fatal(err)
	}
	info, err = s2.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != 1 {
		t.Fatalf("after restart: %d messages, want 1", info.State.Msgs)
	}
	m, err := s2.GetLastMsgForSubject(ctx, SubjectRequest("general"))
	if err != nil || string(m.Data) != "01HANDOFF" {
		t.Fatalf("after restart: got %v %v", m, err)
	}
}
