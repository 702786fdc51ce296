package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/baton-chat/baton/bench"
	"github.com/baton-chat/baton/handoff"
)

// benchSinkSkew is the signature timestamp skew the bench sink accepts.
const benchSinkSkew = 5 * time.Minute

// benchSink is the notify sink of the in-process Baton under `baton bench`:
// a loopback webhook receiver, like an agents' notification service, that
// checks each notification's X-Baton-Signature and records the handoffs it
// was told about (report compares them with the escalations acknowledged).
// With it the bench announces escalations as a deployment does, instead of
// turning each into a ticket and a warning.
type benchSink struct {
	secret []byte
	srv    *http.Server
	url    string

	mu  sync.Mutex
	ids map[string]*announced // by handoff id

	posts, bad atomic.Uint64
}

// announced is what the sink heard of one handoff: the code and user key
// its handoff.requested message named (the user key only from a sink with
// pii on), and how many such messages it received.
type announced struct {
	code, user string
	posts      int
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
	s := &benchSink{secret: []byte(hex.EncodeToString(secret)), ids: map[string]*announced{}}
	s.url = "http://" + ln.Addr().String() + "/handoffs"
	s.srv = &http.Server{Handler: http.HandlerFunc(s.serve), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// serve records one notification: 401 unless its signature verifies, 400
// unless it names a handoff (or ticket) under its documented
// Idempotency-Key: the id, "<id>:closed" for handoff.closed.
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
		Code string `json:"code"`
		User *struct {
			BotUserKey string `json:"bot_user_key"`
		} `json:"user"`
	}
	err = json.Unmarshal(body, &n)
	key := n.ID
	if n.Type == "handoff.closed" {
		key += ":closed" // docs/notify-webhook.md: never the request's own key
	}
	if err != nil || n.ID == "" || key != r.Header.Get(handoff.HeaderIdempotency) {
		s.bad.Add(1)
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	if n.Type == "handoff.requested" {
		s.mu.Lock()
		a := s.ids[n.ID]
		if a == nil {
			a = &announced{code: n.Code}
			if n.User != nil {
				a.user = n.User.BotUserKey
			}
			s.ids[n.ID] = a
		}
		a.posts++
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

// sinkCheck compares the handoffs a sink was told about with the
// escalations acknowledged.
type sinkCheck struct {
	// by says what identifies a handoff on both sides: the user key
	// (when the notifications carry user keys) and the handoff code (when
	// the answers showed one); "" when neither, and only counts compare.
	by      string
	matched int
	// missing are acknowledged escalations no notification announced;
	// unacked are the ids of handoffs announced that no answer
	// acknowledged; twice the handoffs announced more than once, with
	// how many times.
	missing []bench.Escalation
	unacked []string
	twice   []string
}

// check matches the handoffs the sink was told about to acks: a handoff
// matches an acknowledged escalation of the same user key and handoff
// code, as far as both sides carry them (a sink without pii sends no
// user key; a config whose handoff card shows no {code} shows no code).
func (s *benchSink) check(acks []bench.Escalation) sinkCheck {
	s.mu.Lock()
	defer s.mu.Unlock()
	useUser, useCode := true, true
	for _, a := range s.ids {
		useUser = useUser && a.user != ""
	}
	for _, e := range acks {
		useCode = useCode && e.Code != ""
	}
	var c sinkCheck
	switch {
	case useUser && useCode:
		c.by = "user key and handoff code"
	case useUser:
		c.by = "user key"
	case useCode:
		c.by = "handoff code"
	}
	key := func(user, code string) string {
		if !useUser {
			user = ""
		}
		if !useCode {
			code = ""
		}
		return user + "\x00" + code
	}
	need := map[string][]bench.Escalation{}
	for _, e := range acks {
		k := key(e.User, e.Code)
		need[k] = append(need[k], e)
	}
	have := map[string][]string{}
	for _, id := range slices.Sorted(maps.Keys(s.ids)) {
		a := s.ids[id]
		k := key(a.user, a.code)
		have[k] = append(have[k], id)
		if a.posts > 1 {
			c.twice = append(c.twice, fmt.Sprintf("%s (%d times)", id, a.posts))
		}
	}
	keys := slices.Sorted(maps.Keys(need))
	for k := range have {
		if _, ok := need[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		n, h := need[k], have[k]
		m := min(len(n), len(h))
		c.matched += m
		c.missing = append(c.missing, n[m:]...)
		c.unacked = append(c.unacked, h[m:]...)
	}
	return c
}

// wait checks the sink against acks until every acknowledged escalation
// is announced, ctx ends or timeout passes, and returns the last check.
func (s *benchSink) wait(ctx context.Context, acks []bench.Escalation, timeout time.Duration) sinkCheck {
	deadline := time.Now().Add(timeout)
	for {
		c := s.check(acks)
		if len(c.missing) == 0 || time.Now().After(deadline) || ctx.Err() != nil {
			return c
		}
		select {
		case <-ctx.Done():
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// report prints the sink's line of the bench report and returns an error
// when a notification failed its check, an acknowledged escalation was not
// announced, a handoff was announced more than once (the sink must hear of
// each exactly once), or, when exact, a handoff was announced that no
// answer acknowledged. In a run that got fallback answers (exact false)
// such handoffs are expected: a turn can commit its handoff after the hard
// deadline answered the fallback.
func (s *benchSink) report(ctx context.Context, w io.Writer, acks []bench.Escalation, exact bool) error {
	c := s.wait(ctx, acks, 10*time.Second)
	by := c.by
	if by == "" {
		by = "count only (neither user keys nor handoff codes to compare)"
	}
	fmt.Fprintf(w, "notify sink (loopback webhook, signature checked): %d handoffs received in %d POSTs, %d rejected; escalations acknowledged %d; matched by %s: %d, not announced %d, announced more than once %d, announced but not acknowledged %d\n",
		s.handoffs(), s.posts.Load(), s.bad.Load(), len(acks), by, c.matched, len(c.missing), len(c.twice), len(c.unacked))
	var errs []error
	if n := s.bad.Load(); n > 0 {
		errs = append(errs, fmt.Errorf("baton bench: the notify sink rejected %d notifications", n))
	}
	if len(c.missing) > 0 {
		missing := make([]string, len(c.missing))
		for i, e := range c.missing {
			missing[i] = strings.TrimSpace(e.User + " " + e.Code)
		}
		errs = append(errs, fmt.Errorf("baton bench: %d acknowledged escalations not announced to the notify sink (user key and handoff code): %s", len(c.missing), someOf(missing)))
	}
	if len(c.twice) > 0 {
		errs = append(errs, fmt.Errorf("baton bench: %d handoffs announced more than once to the notify sink, want exactly once each: %s", len(c.twice), someOf(c.twice)))
	}
	if exact && len(c.unacked) > 0 {
		errs = append(errs, fmt.Errorf("baton bench: %d handoffs announced that no answer acknowledged: %s", len(c.unacked), someOf(c.unacked)))
	}
	return errors.Join(errs...)
}

// someOf lists the first few of items, and how many more there are.
func someOf(items []string) string {
	const show = 5
	if len(items) <= show {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:show], ", "), len(items)-show)
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
