package store

import (
	"context"
	"testing"
	"time"
)

// TestRawStatementsFollowTheWritersConnection: the journaled path's raw
// statements run on the connection the writer's pool holds now. When the
// pool replaces it (here: its connections expire at once), they are
// prepared again on the new one, and every turn is still written.
func TestRawStatementsFollowTheWritersConnection(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	commit := journaledUser(t, db, "raw-user", time.Date(2026, 11, 24, 1, 0, 0, 0, time.UTC))
	var version int64
	first := db.wconn.Load()
	db.w.SetConnMaxLifetime(time.Nanosecond)
	for range 3 {
		time.Sleep(time.Millisecond) // let the connection expire
		version = commit()
	}
	db.w.SetConnMaxLifetime(0)
	if db.wconn.Load() == first {
		t.Fatal("the writer's pool kept its connection; the test replaced none")
	}
	if db.writer.isClosed() {
		t.Fatal("writer closed")
	}
	if err := db.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := db.CountTurns(ctx, "raw-user"); err != nil || n != 6 {
		t.Fatalf("got %d turns (err %v), want 6", n, err)
	}
	var stored int64
	if err := db.r.QueryRowContext(ctx, `SELECT version FROM conversations WHERE user_key = ?`, "raw-user").Scan(&stored); err != nil || stored != version {
		t.Fatalf("got stored conversation version %d (err %v), want %d", stored, err, version)
	}
}
