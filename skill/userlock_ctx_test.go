package skill

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestUserLockCtx: lockCtx takes a free lock at once; waits for a held one
// and gets it when it is released in time; gives up with ctx's error when
// ctx ends first, and then leaves the lock free once its holder releases
// it (the waiting goroutine hands it back, never keeps it).
func TestUserLockCtx(t *testing.T) {
	u := newUserLocks()
	ctx := context.Background()

	m, err := u.lockCtx(ctx, "a")
	if err != nil {
		t.Fatalf("free lock: %v", err)
	}
	// Held: a waiter with time left gets it once released.
	got := make(chan error, 1)
	go func() {
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		m2, err := u.lockCtx(wctx, "a")
		if err == nil {
			m2.Unlock()
		}
		got <- err
	}()
	time.Sleep(20 * time.Millisecond)
	m.Unlock()
	if err := <-got; err != nil {
		t.Fatalf("waiter after release: %v", err)
	}

	// Held past the waiter's deadline: it gives up with ctx's error.
	m = u.lock("a")
	wctx, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
	defer cancel()
	if _, err := u.lockCtx(wctx, "a"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("held past the deadline: got %v, want DeadlineExceeded", err)
	}
	m.Unlock()
	// The abandoned wait must not keep the lock.
	deadline := time.Now().Add(5 * time.Second)
	for !m.TryLock() {
		if time.Now().After(deadline) {
			t.Fatal("the lock stayed held after its holder released it and the waiter gave up")
		}
		time.Sleep(time.Millisecond)
	}
	m.Unlock()
}
