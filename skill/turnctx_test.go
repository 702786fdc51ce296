package skill_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/skill"
	"github.com/baton-chat/baton/store"
)

// ctxKey is a request-context key the turn's context must pass through.
type ctxKey struct{}

// ctxLoads records the context of each Load; with wait set, Load returns
// only once that context has ended (or after 2 s), with its error.
type ctxLoads struct {
	skill.Conversations
	wait bool
	mu   sync.Mutex
	seen []loadCtx
}

type loadCtx struct {
	ctx      context.Context
	value    any
	deadline time.Time
	errIn    error // ctx.Err() inside Load
	child    error // a context derived in Load: its Err() once ctx ended
}

func (l *ctxLoads) Load(ctx context.Context, key string) (store.User, fsm.Conversation, bool, error) {
	rec := loadCtx{ctx: ctx, value: ctx.Value(ctxKey{})}
	rec.deadline, _ = ctx.Deadline()
	child, cancel := context.WithCancel(ctx)
	defer cancel()
	if l.wait {
		select {
		case <-child.Done(): // ends with ctx
		case <-time.After(2 * time.Second): // it does not: fail, not hang
		}
		rec.child = child.Err()
	}
	rec.errIn = ctx.Err()
	l.mu.Lock()
	l.seen = append(l.seen, rec)
	l.mu.Unlock()
	if l.wait {
		// As a store does once the context ended. Returning the
		// conversation instead let the stuck turn answer in the instant
		// between the deadline ending its context and the deadline's
		// fallback taking the answer, which a loaded -race run hit.
		return store.User{Key: key}, fsm.Conversation{UserKey: key}, false, rec.errIn
	}
	return l.Conversations.Load(ctx, key)
}

// TestInlineTurnContext: the inline turn's context (now ended by the
// turn's own deadline timer) keeps context.WithTimeout's behaviour: the
// request's values, a deadline of the hard deadline, DeadlineExceeded at
// it — for contexts derived from it too — and Canceled once the turn
// returned; a pooled turn's context starts afresh.
func TestInlineTurnContext(t *testing.T) {
	cfg, e := testutil.Engine(t, "../configs/example.yaml")
	const hard = 40 * time.Millisecond
	loads := &ctxLoads{Conversations: newMemConversations()}
	s := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, loads, handoff.Effects{}, nil, skill.Options{
		HardDeadline: hard,
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
	})
	h := s.Handler()
	post := func(user string) []byte {
		req := httptest.NewRequest(http.MethodPost, "/skill", bytes.NewReader(payload(user, "배송 조회")))
		req = req.WithContext(context.WithValue(req.Context(), ctxKey{}, user))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Body.Bytes()
	}

	for i, user := range []string{"ctx-a", "ctx-b"} { // the second turn may reuse the first's
		before := time.Now()
		if got := post(user); bytes.Equal(got, fallbackOf(cfg)) {
			t.Fatalf("turn %d: got the fallback, want an answer", i)
		}
		l := loads.seen[len(loads.seen)-1]
		if l.value != user {
			t.Errorf("turn %d: got value %v, want the request's %q", i, l.value, user)
		}
		if l.errIn != nil {
			t.Errorf("turn %d: got Err %v inside the turn, want nil", i, l.errIn)
		}
		if l.deadline.Before(before.Add(hard)) || l.deadline.After(time.Now().Add(hard)) {
			t.Errorf("turn %d: got deadline %v, want the hard deadline %v after the request", i, l.deadline.Sub(before), hard)
		}
		if err := l.ctx.Err(); !errors.Is(err, context.Canceled) {
			t.Errorf("turn %d: got Err %v after the turn, want Canceled", i, err)
		}
		select {
		case <-l.ctx.Done():
		default:
			t.Errorf("turn %d: Done not closed after the turn", i)
		}
	}

	// A turn that waits for its context: ended at the hard deadline.
	loads.wait = true
	if got := post("ctx-c"); !bytes.Equal(got, fallbackOf(cfg)) {
		t.Fatalf("got %s, want the fallback at the hard deadline", got)
	}
	// The turn goes on after the fallback; wait for its Load to return.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		loads.mu.Lock()
		n := len(loads.seen)
		loads.mu.Unlock()
		if n == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the stuck turn's Load never returned")
		}
	}
	l := loads.seen[2]
	if !errors.Is(l.errIn, context.DeadlineExceeded) || !errors.Is(l.child, context.DeadlineExceeded) {
		t.Errorf("got Err %v and derived %v at the deadline, want DeadlineExceeded for both", l.errIn, l.child)
	}
	if c := context.Cause(l.ctx); !errors.Is(c, context.DeadlineExceeded) {
		t.Errorf("got cause %v, want DeadlineExceeded", c)
	}
}
