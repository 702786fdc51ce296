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

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/skill"
	"github.com/baton-chat/baton/store"
)

// timedKakao is a loopback stand-in for bot-api.kakao.com's callback
// endpoint: it records each POST's body and when it came.
type timedKakao struct {
	mu    sync.Mutex
	posts []timedPost
}

type timedPost struct {
	at   time.Time
	body []byte
}

func (k *timedKakao) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	k.mu.Lock()
	k.posts = append(k.posts, timedPost{time.Now(), b})
	k.mu.Unlock()
	_, _ = io.WriteString(w, `{"taskId":"t","status":"SUCCESS","message":"","timestamp":0}`)
}

func (k *timedKakao) got() []timedPost {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]timedPost(nil), k.posts...)
}

// newTimedKakao starts a timedKakao and returns it with a callback client
// that may post to it.
func newTimedKakao(t *testing.T) (*timedKakao, *httptest.Server, *handoff.CallbackClient) {
	t.Helper()
	kakao := &timedKakao{}
	srv := httptest.NewServer(kakao)
	t.Cleanup(srv.Close)
	cb := handoff.NewCallbackClient([]string{strings.TrimPrefix(srv.URL, "http://")})
	cb.AllowHTTP = true // loopback recorder
	return kakao, srv, cb
}

// TestCallbackTurnStuckPastBudgetPostsFallback: DESIGN §3 step 6 — a
// callback turn runs "within 45 s, its one POST by 55 s after the request
// ... the fallback of a turn that ran out of time is posted too", and
// server.go says the fallback of a turn that used up its budget on "a
// stalled store" must go out or "the user would look at the waiting bubble
// for good". The inline path keeps this promise even when the store ignores
// the turn's context (a timer answers; TestHardDeadlineWhileTurnIgnoresContext),
// as the store's writer does once a COMMIT has started (writer.do waits for
// it). The callback path used not to: its goroutine blocked on the turn's
// result with no timer at the budget's end, so nothing was posted while the
// turn was stuck, and the answer went out only when the store came back —
// after Kakao's one-minute callback URL is dead in production.
func TestCallbackTurnStuckPastBudgetPostsFallback(t *testing.T) {
	cfg, e, db := realParts(t)
	kakao, srv, cb := newTimedKakao(t)

	stuck := &stuckLoads{Conversations: db, entered: make(chan struct{}), release: make(chan struct{})}
	released := false
	defer func() {
		if !released {
			close(stuck.release)
		}
	}()
	s := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, stuck, handoff.Effects{}, nil, skill.Options{
		SoftDeadline: 20 * time.Millisecond, HardDeadline: time.Second, Callbacks: cb, CallbackText: cfg.Texts.CallbackWait,
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
	})
	const budget = 300 * time.Millisecond // 45 s in production; the POST's own deadline is budget + 10 s
	skill.SetCallbackBudget(s, budget)

	start := time.Now()
	code, out := post(t, s.Handler(), withCallback(t, "u-cb-stuck", "배송 조회", srv.URL+"/v1/bots/b/callback/tok", false))
	if code != 200 || !bytes.Equal(out, skill.CallbackAck(cfg.Texts.CallbackWait)) {
		t.Fatalf("got %d %s, want the useCallback ack", code, out)
	}
	<-stuck.entered

	// Give it ten budgets: the fallback should have been posted at the
	// budget's end (a real Kakao URL would still be valid then).
	time.Sleep(10 * budget)
	posts := kakao.got()
	if len(posts) == 0 {
		// Show what happens when the store comes back: the answer goes out
		// only then, however late.
		close(stuck.release)
		released = true
		deadline := time.Now().Add(5 * time.Second)
		for len(kakao.got()) == 0 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		late := "never"
		if p := kakao.got(); len(p) > 0 {
			late = p[0].at.Sub(start).Round(time.Millisecond).String()
		}
		t.Fatalf("no callback POST %v after the request with the callback budget %v spent (store stuck ignoring the context): "+
			"want the fallback posted at the budget's end; the first POST came only after the store was released, %s after the request",
			10*budget, budget, late)
	}
	if !bytes.Equal(posts[0].body, fallbackOf(cfg)) {
		t.Errorf("first POST %s, want the fallback", posts[0].body)
	}
}

// stuckCommits blocks every Commit until release is closed, ignoring the
// turn's context as the store's writer does once a COMMIT has begun, and
// then commits (on a context that does not end with the turn's).
type stuckCommits struct {
	skill.Conversations
	entered   chan struct{}
	release   chan struct{}
	committed chan error
	once      sync.Once
}

func (s *stuckCommits) Commit(ctx context.Context, w *store.TurnWrite) error {
	s.once.Do(func() { close(s.entered) })
	<-s.release
	err := s.Conversations.Commit(context.WithoutCancel(ctx), w)
	s.committed <- err
	return err
}

// TestCallbackTurnCommittingAfterFallbackIsNotPosted: a callback turn whose
// commit stalls past the budget gets the fallback posted at the budget's
// end, once; when the commit then succeeds, its answer is not posted after
// the fallback (Kakao's URL takes one POST, and the user already has the
// fallback), and nothing waits on the turn any more: Drain has nothing in
// flight.
func TestCallbackTurnCommittingAfterFallbackIsNotPosted(t *testing.T) {
	cfg, e, db := realParts(t)
	kakao, srv, cb := newTimedKakao(t)
	stuck := &stuckCommits{Conversations: db, entered: make(chan struct{}), release: make(chan struct{}), committed: make(chan error, 1)}
	released := false
	defer func() {
		if !released {
			close(stuck.release)
		}
	}()
	s := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, stuck, handoff.Effects{}, nil, skill.Options{
		SoftDeadline: 20 * time.Millisecond, HardDeadline: time.Second, Callbacks: cb, CallbackText: cfg.Texts.CallbackWait,
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
	})
	const budget = 300 * time.Millisecond
	skill.SetCallbackBudget(s, budget)

	start := time.Now()
	code, out := post(t, s.Handler(), withCallback(t, "u-cb-late-commit", "배송 조회", srv.URL+"/v1/bots/b/callback/tok", false))
	if code != 200 || !bytes.Equal(out, skill.CallbackAck(cfg.Texts.CallbackWait)) {
		t.Fatalf("got %d %s, want the useCallback ack", code, out)
	}
	<-stuck.entered
	deadline := time.Now().Add(10 * budget)
	for len(kakao.got()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	posts := kakao.got()
	if len(posts) != 1 || !bytes.Equal(posts[0].body, fallbackOf(cfg)) {
		t.Fatalf("POSTs while the commit is stuck: got %d, want one, the fallback", len(posts))
	}
	if at := posts[0].at.Sub(start); at < budget {
		t.Errorf("the fallback was posted %v after the request, before the budget %v was spent", at, budget)
	}
	// The fallback is out: the callback is no longer in flight, though the
	// turn still is.
	dctx, dcancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer dcancel()
	if n := s.Drain(dctx); n != 0 {
		t.Errorf("Drain: %d callbacks in flight after the fallback was posted, want 0", n)
	}

	close(stuck.release)
	released = true
	if err := <-stuck.committed; err != nil {
		t.Fatalf("the stuck commit failed once released: %v (the test wants it to succeed)", err)
	}
	time.Sleep(5 * budget) // time enough for a late POST, should one be made
	if got := kakao.got(); len(got) != 1 {
		t.Errorf("POSTs after the stuck turn committed: got %d (last %s), want still one, the fallback: "+
			"a turn that committed after its fallback was posted must not be posted too", len(got), got[len(got)-1].body)
	}
}
