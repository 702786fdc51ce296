package skill_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testlog"
	"github.com/baton-chat/baton/skill"
	"github.com/baton-chat/baton/store"
)

// stuckLoads blocks every Load until release is closed, ignoring the turn's
// context: a turn stuck where no context reaches (a lock, a driver call).
type stuckLoads struct {
	skill.Conversations
	entered chan struct{}
	release chan struct{}
	once    sync.Once
}

func (s *stuckLoads) Load(ctx context.Context, key string) (store.User, fsm.Conversation, bool, error) {
	s.once.Do(func() { close(s.entered) })
	<-s.release
	return s.Conversations.Load(ctx, key)
}

// TestHardDeadlineWhileTurnIgnoresContext proves the hard deadline holds on
// the inline path even when the turn cannot be interrupted: the client gets
// 200 + the fallback, complete, while the turn is still blocked; the turn's
// own answer is never written after it.
func TestHardDeadlineWhileTurnIgnoresContext(t *testing.T) {
	cfg, e, db := realParts(t)
	stuck := &stuckLoads{Conversations: db, entered: make(chan struct{}), release: make(chan struct{})}
	var logs testlog.Buffer
	s := skill.NewServer(slog.New(slog.NewTextHandler(&logs, nil)), e, stuck, handoff.Effects{}, nil, skill.Options{
		HardDeadline: 50 * time.Millisecond,
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
	})
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	released := false
	t.Cleanup(func() {
		if !released {
			close(stuck.release)
		}
	})

	// The client gives up long after the deadline, so a missing deadline
	// answer fails the test instead of hanging it.
	client := &http.Client{Timeout: 20 * time.Second}
	resp, err := client.Post(srv.URL+"/skill", "application/json", bytes.NewReader(payload("u-stuck", "배송 조회")))
	if err != nil {
		t.Fatalf("no answer while the turn was stuck: %v", err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("reading the deadline answer: %v", err)
	}
	// On a loaded machine the deadline may pass before the turn reaches
	// Load; it gets there all the same, and stays blocked.
	select {
	case <-stuck.entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the turn never reached Load")
	}
	if resp.StatusCode != 200 || !bytes.Equal(body, fallbackOf(cfg)) {
		t.Fatalf("got %d %s, want 200 + the fallback", resp.StatusCode, body)
	}
	if !strings.Contains(logs.String(), "reason=deadline") {
		t.Fatalf("the deadline was not logged:\n%s", logs.String())
	}

	// Released, the stuck turn ends; the next turn is served normally.
	close(stuck.release)
	released = true
	resp, err = client.Post(srv.URL+"/skill", "application/json", bytes.NewReader(payload("u-stuck", "배송 조회")))
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || bytes.Equal(body, fallbackOf(cfg)) {
		t.Fatalf("after release: got %d %s, want a real answer", resp.StatusCode, body)
	}
}

// noFlush is a ResponseWriter that cannot flush.
type noFlush struct{ http.ResponseWriter }

// TestDeadlineWithWriterThatCannotFlush: the deadline answer must not take
// the process down when the writer under echo cannot flush; the fallback
// still arrives (when the handler returns).
func TestDeadlineWithWriterThatCannotFlush(t *testing.T) {
	cfg, e, db := realParts(t)
	s := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, slowLoads{db, 300 * time.Millisecond}, handoff.Effects{}, nil, skill.Options{
		HardDeadline: 20 * time.Millisecond,
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
	})
	h := s.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(noFlush{w}, r)
	}))
	t.Cleanup(srv.Close)
	code, out := postTo(t, srv.URL, payload("u-noflush", "배송 조회"))
	if code != 200 || !bytes.Equal(out, fallbackOf(cfg)) {
		t.Fatalf("got %d %s, want 200 + the fallback", code, out)
	}
}

func postTo(t *testing.T, url string, body []byte) (int, []byte) {
	t.Helper()
	resp, err := (&http.Client{Timeout: 20 * time.Second}).Post(url+"/skill", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}
