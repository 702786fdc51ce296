package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"testing"
	"time"
)

// TestCheckWrites holds SQLite's write lock from another connection so a
// turn's batch fails: CheckWrites must then report ErrWritesFailing, and nil
// again once the lock is released (its probe write commits).
func TestCheckWrites(t *testing.T) {
	t.Parallel()
	db, path := openTestDB(t, Options{})
	ctx := context.Background()
	if err := db.CheckWrites(ctx); err != nil {
		t.Fatalf("CheckWrites on a fresh store: got %v, want nil", err)
	}
	conn := holdWriteLock(t, path)
	if err := db.Commit(ctx, testTurn("u-health", 0, time.Now())); err == nil {
		t.Fatal("Commit while another connection holds the write lock: got nil, want an error")
	}
	if err := db.CheckWrites(ctx); !errors.Is(err, ErrWritesFailing) {
		t.Errorf("CheckWrites after a failed batch, lock still held: got %v, want ErrWritesFailing", err)
	}
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if err := db.CheckWrites(ctx); err != nil {
		t.Errorf("CheckWrites after the lock was released: got %v, want nil", err)
	}
}

// TestBeginStallCounted holds SQLite's write lock from another connection
// (as the checkpointer's RESTART does) while a turn's batch begins: the
// writer's BEGIN waits it out, and Stats counts the wait as a stall.
func TestBeginStallCounted(t *testing.T) {
	t.Parallel()
	db, path := openTestDB(t, Options{})
	ctx := context.Background()
	conn := holdWriteLock(t, path)
	before := db.Stats()
	done := make(chan error, 1)
	go func() { done <- db.Commit(ctx, testTurn("u-stall", 0, time.Now())) }()
	checkFor(t, 2*time.Second, time.Millisecond, func() error {
		if db.Stats().Batches == before.Batches {
			return errors.New("the writer has not begun a batch")
		}
		return nil
	})
	const held = 30 * time.Millisecond
	time.Sleep(held) // the lock is held this long after the writer's BEGIN started
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("Commit after the lock was released: %v", err)
	}
	after := db.Stats()
	if after.BeginStalls-before.BeginStalls < 1 || after.BeginSeconds-before.BeginSeconds < held.Seconds() {
		t.Errorf("got %d stalls and %.3f s in BEGIN; want at least 1 and %.3f s",
			after.BeginStalls-before.BeginStalls, after.BeginSeconds-before.BeginSeconds, held.Seconds())
	}
}

// TestWriterWaitsForRestartOnTheGate: a RESTART checkpoint that holds
// SQLite's write lock longer than the writer's busy timeout (1 s) does not
// fail the batch that arrives meanwhile: the writer waits for it on the
// WAL gate and begins the moment it ends. (The hook holds the lock from
// another connection inside the gate, as a slow RESTART would.)
func TestWriterWaitsForRestartOnTheGate(t *testing.T) {
	t.Parallel()
	held, release := make(chan struct{}), make(chan struct{})
	var hookErr error
	var path string // set before the hook runs
	db, p := openTestDB(t, Options{restartHook: func() {
		conn := holdWriteLock(t, path)
		close(held)
		if conn == nil {
			return
		}
		<-release
		_, hookErr = conn.ExecContext(context.Background(), "ROLLBACK")
	}})
	path = p
	var once sync.Once
	let := func() { once.Do(func() { close(release) }) }
	t.Cleanup(let) // a failed test still lets the hook, and Close, finish
	ctx := context.Background()
	restarted := make(chan error, 1)
	go func() {
		_, _, err := db.restartOnce(ctx)
		restarted <- err
	}()
	<-held
	committed := make(chan error, 1)
	go func() { committed <- db.Commit(ctx, testTurn("u-gate", 0, time.Now())) }()
	// Past the writer's busy timeout; the gate check below leaves 500 ms for
	// the Commit to reach BEGIN on a busy machine.
	time.Sleep(1500 * time.Millisecond)
	select {
	case err := <-committed:
		t.Fatalf("the turn was answered (%v) while the RESTART held the write lock", err)
	default:
	}
	let()
	if err := <-committed; err != nil {
		t.Fatalf("Commit after the RESTART: %v", err)
	}
	if err := <-restarted; err != nil || hookErr != nil {
		t.Fatalf("restart: %v, hook: %v", err, hookErr)
	}
	// The wait shows as the gate's part of BEGIN's time.
	if st := db.Stats(); st.GateSeconds < 1 || st.BeginSeconds < st.GateSeconds {
		t.Errorf("got %gs on the WAL gate of %gs in BEGIN, want at least 1 s of the 1.5 s the RESTART held it, within BEGIN's", st.GateSeconds, st.BeginSeconds)
	}
}

// holdWriteLock takes SQLite's write lock on the store file at path from a
// connection of its own (BEGIN IMMEDIATE) and returns that connection; the
// caller ends the transaction. It may run outside the test's goroutine: it
// reports failures with t.Error, and the lock is then not held.
func holdWriteLock(t *testing.T, path string) *sql.Conn {
	t.Helper()
	ctx := context.Background()
	other, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000")
	if err != nil {
		t.Error(err)
		return nil
	}
	t.Cleanup(func() { _ = other.Close() })
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Error(err)
		return nil
	}
	t.Cleanup(func() { _ = conn.Close() })
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Errorf("take the write lock: %v", err)
	}
	return conn
}
