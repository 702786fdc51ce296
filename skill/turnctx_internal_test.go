package skill

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestTurnCtxDerivedRegister: contexts derived from a turn's context (as
// database/sql derives one per query) register with it rather than each
// starting a goroutine, unregister when cancelled, and end with it.
func TestTurnCtxDerivedRegister(t *testing.T) {
	var c turnCtx
	c.start(context.WithoutCancel(context.Background()), time.Now().Add(time.Hour))
	child, cancel := context.WithCancel(&c)
	stop := context.AfterFunc(&c, func() {})
	if n := len(c.afters); n != 2 {
		t.Fatalf("got %d registered, want 2 (WithCancel, AfterFunc)", n)
	}
	cancel()
	if !stop() {
		t.Fatal("stop: got false, want true before the context ended")
	}
	if n := len(c.afters); n != 0 {
		t.Fatalf("got %d registered after cancel and stop, want 0", n)
	}
	child2, cancel2 := context.WithCancel(&c)
	defer cancel2()
	c.end(context.DeadlineExceeded)
	<-child2.Done()
	if err := child2.Err(); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("derived: got %v, want DeadlineExceeded", err)
	}
	if err := child.Err(); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled before: got %v, want Canceled", err)
	}
	c.end(context.Canceled) // a second end changes nothing
	if err := c.Err(); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v after a second end, want DeadlineExceeded", err)
	}

	// Reused for the next turn: a fresh context, and an old stop finds nothing.
	c.start(context.WithoutCancel(context.Background()), time.Now().Add(time.Hour))
	if c.Err() != nil {
		t.Fatalf("reused: got Err %v, want nil", c.Err())
	}
	_, cancel3 := context.WithCancel(&c)
	defer cancel3()
	if stop() {
		t.Fatal("an earlier turn's stop removed this turn's registration")
	}
	if n := len(c.afters); n != 1 {
		t.Fatalf("got %d registered, want 1", n)
	}
}

// TestTurnCtxEndCancelsDerivedBeforeReuse: a context derived from a turn's
// context and never cancelled (a leak, but a possible one) is cancelled with
// the turn's error before end returns: the turn context goes back to the
// pool after end, and the next turn's start resets Err; cancelling the
// derived context after that would panic with a nil error.
func TestTurnCtxEndCancelsDerivedBeforeReuse(t *testing.T) {
	var c turnCtx
	c.start(context.WithoutCancel(context.Background()), time.Now().Add(time.Hour))
	leaked, cancel := context.WithCancel(&c)
	defer cancel()
	ran := make(chan struct{})
	stop := context.AfterFunc(&c, func() { close(ran) })
	defer stop()
	c.end(context.Canceled)
	select {
	case <-leaked.Done():
	default:
		t.Fatal("the derived context is not done when end returns")
	}
	if err := leaked.Err(); !errors.Is(err, context.Canceled) {
		t.Fatalf("derived: got %v, want Canceled", err)
	}
	c.start(context.WithoutCancel(context.Background()), time.Now().Add(time.Hour)) // the next turn
	select {
	case <-ran:
	case <-time.After(10 * time.Second):
		t.Error("context.AfterFunc's function did not run")
	}
	if err := leaked.Err(); !errors.Is(err, context.Canceled) {
		t.Fatalf("derived, after the reuse: got %v, want Canceled", err)
	}
}
