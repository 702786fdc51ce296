package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/baton-chat/baton/handoff"
)

// benchSinkSkew is the signature timestamp skew the bench sink accepts.
const benchSinkSkew = 5 * time.Minute

// benchSink is the notify sink of the in-process Baton under `baton bench`:
// a loopback webhook receiver, like an agents' notification service, that
// checks each notification's X-Baton-Signature and counts the handoffs it
// was told about. With it the bench announces escalations as a deployment
// does, instead of turning each into a ticket and a warning.
type benchSink struct {
	secret []byte
	srv    *http.Server
	url    string

	mu  sync.Mutex
	ids map[string]struct{}

	posts, bad atomic.Uint64
}

// startBenchSink starts a bench sink on 127.0.0.1 with a random secret.
func startBenchSink() (*benchSink, error) {
	secret := make([]byte, 16)
	if _, err := rand.Read(secret); err != nil {
		return nil, fmt.Errorf("baton bench: sink secret: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("baton bench: listen sink: %w", err)
	}
	s := &benchSink{secret: []byte(hex.EncodeToString(secret)), ids: map[string]struct{}{}}
	s.url = "http://" + ln.Addr().String() + "/handoffs"
	s.srv = &http.Server{Handler: http.HandlerFunc(s.serve), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// serve records one notification: 401 unless its signature verifies, 400
// unless it names a handoff.
func (s *benchSink) serve(w http.ResponseWriter, r *http.Request) {
	s.posts.Add(1)
	body, err := io.ReadAll(io.LimitReader(r.Body, 256<<10))
	if err != nil {
		s.bad.Add(1)
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	if err := handoff.Verify(s.secret, r.Header.Get(handoff.SignatureHeader), body, time.Now(), benchSinkSkew); err != nil {
		s.bad.Add(1)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	var n struct {
		Type string `json:"type"`
		ID   string `json:"id"`
	}
	if err := json.Unmarshal(body, &n); err != nil || n.ID == "" || n.ID != r.Header.Get(handoff.HeaderIdempotency) {
		s.bad.Add(1)
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	if n.Type == "handoff.requested" {
		s.mu.Lock()
		s.ids[n.ID] = struct{}{}
		s.mu.Unlock()
	}
	w.WriteHeader(http.StatusNoContent)
}

// handoffs returns how many distinct handoffs the sink was told about.
func (s *benchSink) handoffs() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.ids)
}

// wait polls until the sink knows want handoffs, ctx ends or timeout
// passes; it returns the count it saw last.
func (s *benchSink) wait(ctx context.Context, want int, timeout time.Duration) int {
	deadline := time.Now().Add(timeout)
	for {
		n := s.handoffs()
		if n >= want || time.Now().After(deadline) || ctx.Err() != nil {
			return n
		}
		select {
		case <-ctx.Done():
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// report prints the sink's line of the bench report and returns an error
// when a notification failed its check or the handoffs it received are not
// the escalations acknowledged. In a run that got fallback answers
// (exact false) more handoffs than acknowledged are expected: a turn can
// commit its handoff after the hard deadline answered the fallback.
func (s *benchSink) report(ctx context.Context, w io.Writer, escalated uint64, exact bool) error {
	got := uint64(s.wait(ctx, int(escalated), 10*time.Second))
	fmt.Fprintf(w, "notify sink (loopback webhook, signature checked): %d handoffs received in %d POSTs, %d rejected; escalations acknowledged %d\n",
		got, s.posts.Load(), s.bad.Load(), escalated)
	switch {
	case s.bad.Load() > 0:
		return fmt.Errorf("baton bench: the notify sink rejected %d notifications", s.bad.Load())
	case got < escalated || (exact && got != escalated):
		return fmt.Errorf("baton bench: the notify sink received %d handoffs, want %d (escalations acknowledged)", got, escalated)
	}
	return nil
}

func (s *benchSink) close() { _ = s.srv.Close() }

// benchSinkEnv points the example config's notify sinks at the bench sink
// (BATON_NOTIFY_URL, BATON_NOTIFY_SECRET; no Slack) for the in-process
// Baton's config load; restore puts the environment back.
func benchSinkEnv(s *benchSink) (restore func(), err error) {
	vars := map[string]string{
		"BATON_NOTIFY_URL":    s.url,
		"BATON_NOTIFY_SECRET": string(s.secret),
		"BATON_SLACK_URL":     "",
	}
	var undo []func()
	restore = func() {
		for _, u := range undo {
			u()
		}
	}
	for k, v := range vars {
		old, had := os.LookupEnv(k)
		if err := os.Setenv(k, v); err != nil {
			restore()
			return nil, fmt.Errorf("baton bench: set %s: %w", k, err)
		}
		undo = append(undo, func() {
			if had {
				_ = os.Setenv(k, old)
			} else {
				_ = os.Unsetenv(k)
			}
		})
	}
	return restore, nil
}
