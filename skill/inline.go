package skill

import (
	"context"
	"fmt"
	"net/http"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v5"
)

// inlineTurn is a turn that cannot finish through a callback, run on the
// request's own goroutine. Exactly one of the turn and the hard-deadline
// timer answers the request: whoever takes answered first writes, under mu,
// and the handler does not return while the timer may be writing (it takes
// mu before returning). The common path thus costs one timer and no extra
// goroutine, channel or select; a turn stuck past the hard deadline (a lock,
// a slow store that ignores its context) still gets the fallback on time,
// written and flushed from the timer's goroutine while the turn goes on.
// The same timer ends the turn's context (ctx) at the hard deadline.
type inlineTurn struct {
	s     *Server
	c     *echo.Context
	b     *bundle
	group bool // the turn is in a group chat: the group fallback
	reqID string
	start time.Time

	mu       sync.Mutex
	answered bool

	// timer runs deadline at the hard deadline. It is made stopped with its
	// inlineTurn and goes back to the pool with it when Stop stopped it, so
	// a turn arms a timer it does not allocate.
	timer *time.Timer

	// ctx is the turn's context: it ends at the hard deadline (deadline
	// ends it) or when the turn returns. It is reused with its inlineTurn.
	ctx turnCtx
}

var inlinePool = sync.Pool{New: func() any {
	t := new(inlineTurn)
	t.timer = time.AfterFunc(time.Hour, t.deadline)
	t.timer.Stop()
	return t
}}

// answerInline runs p's turn inline with the hard deadline of DESIGN §3 and
// writes its answer (or, past the deadline, the fallback).
func (s *Server) answerInline(c *echo.Context, p *Payload, b *bundle, reqID string, start time.Time) {
	t := inlinePool.Get().(*inlineTurn)
	t.s, t.c, t.b, t.group, t.reqID, t.start, t.answered = s, c, b, p.IsGroup(), reqID, start, false
	// The turn is not cancelled when the HTTP exchange ends: it commits or
	// it does not, but it is never cut in half by a client hanging up.
	t.ctx.start(context.WithoutCancel(c.Request().Context()), time.Now().Add(s.opts.HardDeadline))
	timer := t.timer
	timer.Reset(s.opts.HardDeadline)

	res := s.runTurnRecovered(&t.ctx, p, b)
	stopped := timer.Stop()
	t.ctx.end(context.Canceled)

	t.mu.Lock()
	if !t.answered {
		t.answered = true
		s.answer(c, b, t.group, reqID, res, start)
	}
	t.mu.Unlock()
	// The body is written (copied into the connection's buffer) or, past
	// the deadline, never will be: its encoder goes back to the pool.
	res.release()
	if stopped {
		// The timer never ran and never will: t can be reused. Otherwise
		// its function may still hold t (it finds answered set and leaves).
		t.s, t.c, t.b, t.reqID = nil, nil, nil, ""
		t.ctx.parent = nil
		inlinePool.Put(t)
	}
}

// deadline answers the fallback when the turn has not answered yet; it runs
// on the timer's goroutine at the hard deadline.
func (t *inlineTurn) deadline() {
	t.ctx.end(context.DeadlineExceeded)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.answered {
		return
	}
	t.answered = true
	w := t.c.Response()
	// A length lets the answer go out complete now, while the handler is
	// still running, instead of as a chunked stream ended only on return.
	w.Header().Set(echo.HeaderContentLength, strconv.Itoa(len(t.b.fallbackFor(t.group))))
	t.s.answerFallback(t.c, t.b, t.group, t.reqID, "deadline", context.DeadlineExceeded, t.start)
	flush(w)
}

// flush sends what w holds now. echo's Response panics when the writer
// under it cannot flush; on this goroutine a panic would end the process,
// so it is recovered (the answer then goes out when the handler returns).
func flush(w http.ResponseWriter) {
	defer func() { _ = recover() }()
	_ = http.NewResponseController(w).Flush()
}

// runTurnRecovered is runTurn with a panic turned into the fallback.
func (s *Server) runTurnRecovered(ctx context.Context, p *Payload, b *bundle) (res turnResult) {
	defer func() {
		if r := recover(); r != nil {
			res = turnResult{body: b.fallbackFor(p.IsGroup()), reason: "panic", err: fmt.Errorf("panic: %v\n%s", r, debug.Stack())}
		}
	}()
	return s.runTurn(ctx, p, b)
}
