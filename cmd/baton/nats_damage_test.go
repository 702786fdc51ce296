package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testlog"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/nats-io/nats.go/jetstream"
)

// TestDamagedJetStreamStore damages a file of the BATON stream in the
// embedded JetStream store while a confirmed handoff's request waits in it
// (its notify sink was down), then starts again with the sink up. What
// nats-server does is what docs/ops.md says: a damaged stream metafile drops
// the stream, which Baton creates again and re-drives the waiting handoff
// into; a damaged message block loses its messages — Baton says so in one
// line naming the directory, and the runbook's recovery (stop, move
// <data>/nats aside, start) re-drives the handoff.
func TestDamagedJetStreamStore(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file      string // under streams/BATON
		delivered bool   // without the operator's recovery
		line      string // Baton's line about it
	}{
		{file: "meta.inf", delivered: true, line: "nats: JetStream store damaged"},
		// nats-server cannot tell a damaged block from an unclean stop.
		{file: filepath.Join("msgs", "1.blk"), delivered: false, line: "nats: JetStream store state rebuilt"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			hook := newFlakySink(t)
			hook.down.Store(true)
			env := testEnv{}
			env["BATON_NOTIFY_URL"] = hook.srv.URL + "/hook"
			env["BATON_NOTIFY_SECRET"] = e2eNotifySecret
			env["BATON_SLACK_URL"] = ""
			clock := &testClock{t: mondayMorning}
			dataDir := filepath.Join(t.TempDir(), "data")
			quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
			m := startBatonLogging(t, exampleConfig, dataDir, clock, quiet,
				func(m *Main) { m.RouterRetryDelay = time.Minute }, env.configure)
			s := newSession(t, m, clock, "u-nats-damage")
			s.welcome()
			s.say("상담원")
			s.tap("네, 연결해 주세요")
			s.wantState(fsm.StateWaiting)
			id, _, _, _ := s.handoff()
			testutil.CheckFor(t, 3*time.Second, 10*time.Millisecond, func() error {
				if hook.attempts.Load() == 0 { // the request is in the stream
					return fmt.Errorf("no delivery attempt yet")
				}
				return nil
			})
			if err := m.Close(); err != nil {
				t.Fatal(err)
			}
			damage(t, filepath.Join(dataDir, "nats", "jetstream", "$G", "streams", "BATON", tc.file))
			hook.down.Store(false)

			var logs testlog.Buffer
			m = startBatonLogging(t, exampleConfig, dataDir, clock, slog.New(slog.NewTextHandler(&logs, nil)),
				func(m *Main) { m.RouterRetryDelay = 20 * time.Millisecond }, env.configure)
			if !strings.Contains(logs.String(), tc.line) || !strings.Contains(logs.String(), filepath.Join(dataDir, "nats")) {
				t.Errorf("start on a damaged JetStream store: no line naming it in the logs:\n%s", logs.String())
			}
			if !tc.delivered {
				// The request was lost with the block: nothing re-drives it
				// (checked below after the recovery, which must).
				if err := m.Close(); err != nil {
					t.Fatal(err)
				}
				if hook.has(id) {
					t.Fatalf("handoff %s delivered although its request was in the damaged block", id)
				}
				if err := os.Rename(filepath.Join(dataDir, "nats"), filepath.Join(dataDir, "nats.damaged")); err != nil {
					t.Fatal(err)
				}
				m = startBatonLogging(t, exampleConfig, dataDir, clock, quiet,
					func(m *Main) { m.RouterRetryDelay = 20 * time.Millisecond }, env.configure)
			}
			testutil.CheckFor(t, 3*time.Second, 10*time.Millisecond, func() error {
				if !hook.has(id) {
					return fmt.Errorf("handoff %s has not reached the sink", id)
				}
				return nil
			})
			s.m = m
			s.wantState(fsm.StateWaiting)
		})
	}
}

// damage overwrites all of path but its first 8 bytes with garbage.
func damage(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) <= 8 {
		t.Fatalf("%s: %d bytes, nothing to damage", path, len(b))
	}
	for i := 8; i < len(b); i++ {
		b[i] ^= 0x5a
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestNATSStartLine: what Baton logs about the embedded JetStream store at
// start. A clean stop says nothing; an unclean one (a copy of the store
// taken while the server runs, as a crash leaves it) may have its state
// rebuilt, which nats-server also does for a damaged message file, and
// must not be called damaged; a damaged metafile is.
func TestNATSStartLine(t *testing.T) {
	t.Parallel()
	const damaged, rebuilt = "nats: JetStream store damaged", "nats: JetStream store state rebuilt"
	for _, tc := range []struct {
		name  string
		crash bool   // copy the store while the second server runs
		file  string // under streams/BATON, damaged after a clean stop
		want  string // "" for no line
	}{
		{name: "clean"},
		{name: "unclean_stop", crash: true, want: rebuilt},
		{name: "meta.inf", file: "meta.inf", want: damaged},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "nats")
			publishTo(t, dir, "h-1") // a clean stop: its state file is written
			image := filepath.Join(t.TempDir(), "nats")
			publishTo(t, dir, "h-2", func() {
				if tc.crash {
					copyDir(t, dir, image) // the state file is older than the last message
				}
			})
			if !tc.crash {
				copyDir(t, dir, image)
			}
			if tc.file != "" {
				damage(t, filepath.Join(image, "jetstream", "$G", "streams", handoff.StreamName, tc.file))
			}
			var logs testlog.Buffer
			m := &Main{Logger: slog.New(slog.NewTextHandler(&logs, nil))}
			e, err := m.startEmbeddedNATS(image)
			if err != nil {
				t.Fatal(err)
			}
			e.Shutdown()
			for _, line := range []string{damaged, rebuilt} {
				if got, want := strings.Contains(logs.String(), line), line == tc.want; got != want {
					t.Errorf("logs have %q: got %v, want %v:\n%s", line, got, want, logs.String())
				}
			}
		})
	}
}

// publishTo starts an embedded server on dir, publishes a request with
// payload to the BATON stream, runs each of running while the server is
// still up and stops it cleanly.
func publishTo(t *testing.T, dir, payload string, running ...func()) {
	t.Helper()
	e, err := handoff.StartEmbedded(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Shutdown()
	nc, err := e.Connect("test")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := handoff.EnsureStream(ctx, js, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := js.Publish(ctx, handoff.SubjectRequest("general"), []byte(payload)); err != nil {
		t.Fatal(err)
	}
	for _, fn := range running {
		fn()
	}
}

// copyDir copies the tree at src to dst, which must not exist.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
}
