package handoff

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/internal/testlog"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// streamMsgs returns Msg-Id → (subject, payload) of every message in BATON.
func streamMsgs(t testing.TB, js jetstream.JetStream) map[string][2]string {
	t.Helper()
	ctx := context.Background()
	s, err := js.Stream(ctx, StreamName)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][2]string{}
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil {
			t.Fatalf("get msg %d: %v", seq, err)
		}
		id := m.Header.Get(jetstream.MsgIDHeader)
		if _, dup := out[id]; dup {
			t.Fatalf("Msg-Id %s stored twice", id)
		}
		out[id] = [2]string{m.Subject, string(m.Data)}
	}
	return out
}

func pendingCount(t testing.TB, f *routerFixture) int {
	t.Helper()
	rows, err := f.db.PendingOutbox(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	return len(rows)
}

// TestRelayPublishesPendingRowsOnce: rows committed before the relay starts
// (a restart) are published with their outbox ULID as Msg-Id and marked; a
// row already published before a crash is not stored twice.
func TestRelayPublishesPendingRowsOnce(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	at := time.Now().UTC()
	var ids []string
	for i := range 3 {
		f.escalate(t, "u-relay-"+strconv.Itoa(i), "notify", at.Add(time.Duration(i)*time.Millisecond))
	}
	rows, err := f.db.PendingOutbox(context.Background(), 10)
	if err != nil || len(rows) != 3 {
		t.Fatalf("got %d pending rows (err %v), want 3", len(rows), err)
	}
	for _, r := range rows {
		ids = append(ids, r.ID)
	}
	// The previous process published the first row, then died before
	// marking it.
	first := &nats.Msg{Subject: rows[0].Subject, Data: rows[0].Payload}
	if _, err := f.js.PublishMsg(context.Background(), first, jetstream.WithMsgID(rows[0].ID)); err != nil {
		t.Fatal(err)
	}

	r := NewRelay(f.db, f.js, nil)
	r.Sweep = 50 * time.Millisecond
	runUntilCleanup(t, r.Run)
	checkForT(t, 10*time.Second, func() error {
		if n := pendingCount(t, f); n != 0 {
			return fmt.Errorf("%d rows still pending", n)
		}
		return nil
	})
	// More wakes and sweeps publish nothing new.
	for range 3 {
		r.Wake()
	}
	f.escalate(t, "u-relay-late", "notify", at.Add(time.Second))
	r.Wake()
	checkForT(t, 10*time.Second, func() error {
		if n := pendingCount(t, f); n != 0 {
			return fmt.Errorf("%d rows still pending", n)
		}
		return nil
	})
	got := streamMsgs(t, f.js)
	if len(got) != 4 {
		t.Fatalf("got %d messages in the stream, want 4: %v", len(got), got)
	}
	for i, id := range ids {
		m, ok := got[id]
		if !ok || m[0] != rows[i].Subject || m[1] != string(rows[i].Payload) {
			t.Errorf("outbox row %s: got %v in the stream, want %s %s", id, m, rows[i].Subject, rows[i].Payload)
		}
	}
}

// TestRelayNATSDownThenUp: with NATS down the rows stay pending and the relay
// and the router retry; once NATS is up the rows are published and routed.
func TestRelayNATSDownThenUp(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	f.escalate(t, "u-down", "notify", time.Now().UTC())

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	url := "nats://127.0.0.1:" + strconv.Itoa(port)
	nc, err := Connect(url, "relay-test", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	var logs testlog.Buffer
	r := NewRelay(f.db, js, slog.New(slog.NewTextHandler(&logs, nil)))
	r.Sweep = 50 * time.Millisecond
	runUntilCleanup(t, r.Run)
	hook := newSinkRecorder(t)
	rt := NewRouter(f.db, js, NewSinks([]configs.Notify{{Kind: SinkWebhook, URL: hook.srv.URL, Secret: "s"}}, nil, nil), nil, RouterOptions{})
	runUntilCleanup(t, rt.Run)
	checkForT(t, 10*time.Second, func() error {
		if !bytes.Contains([]byte(logs.String()), []byte(relayPublishFailed)) {
			return fmt.Errorf("no failed publish logged yet")
		}
		return nil
	})
	if n := pendingCount(t, f); n != 1 {
		t.Fatalf("with NATS down: got %d pending rows, want 1", n)
	}

	srv, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: port, JetStream: true,
		StoreDir: filepath.Join(t.TempDir(), "ext"), NoSigs: true, NoLog: true})
	if err != nil {
		t.Fatal(err)
	}
	go srv.Start()
	t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	if !srv.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats not ready")
	}
	checkForT(t, 20*time.Second, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, err := EnsureStream(ctx, js, 1)
		return err
	})
	checkForT(t, 20*time.Second, func() error {
		if n := pendingCount(t, f); n != 0 {
			return fmt.Errorf("%d rows still pending", n)
		}
		return nil
	})
	if got := streamMsgs(t, js); len(got) != 1 {
		t.Fatalf("got %d messages in the stream, want 1", len(got))
	}
	// The failed passes counted nothing; the one that got through, once.
	if got, n := r.Published(), histogramCount(t, r.ackSeconds); got != 1 || n != 1 {
		t.Errorf("got %d rows published, %d ack observations; want 1 and 1", got, n)
	}
	hook.wantCount(t, 1)
}
