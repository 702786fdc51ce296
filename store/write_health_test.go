package store

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"
)

// TestCheckWrites holds SQLite's write lock from another connection so a
// turn's batch fails: CheckWrites must then report ErrWritesFailing, and nil
// again once the lock is released (its probe write commits).
func TestCheckWrites(t *testing.T) {
	db, path := openTestDB(t, Options{})
	ctx := context.Background()
	if err := db.CheckWrites(ctx); err != nil {
		t.Fatalf("CheckWrites on a fresh store: got %v, want nil", err)
	}
	other, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = other.Close() })
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatalf("take the write lock: %v", err)
	}
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
