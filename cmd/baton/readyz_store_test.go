package main

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestSlowReadyzSeesAStoreThatCannotCommit holds SQLite's write lock on
// baton.db from another connection (as an operator's sqlite3 shell left in a
// transaction would): turns answer the fallback and /readyz must not say ok.
// Once the lock is released /readyz is ok again (its probe write commits).
func TestSlowReadyzSeesAStoreThatCannotCommit(t *testing.T) {
	if testing.Short() {
		t.Skip("turns wait out SQLite's busy timeout: not in -short")
	}
	dataDir := t.TempDir()
	m := startBaton(t, exampleConfig, dataDir, nil)

	ctx := context.Background()
	other, err := sql.Open("sqlite3", "file:"+filepath.Join(dataDir, "baton.db")+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatalf("take the write lock: %v", err)
	}
	t.Cleanup(func() {
		_ = conn.Close()
		_ = other.Close()
	})

	for i := range 3 {
		code, body := postSkill(t, m, turn{User: fmt.Sprintf("ops-locked-%d", i), Utterance: "배송비 얼마예요"}.payload(), nil)
		if code != 200 || !isFallback(t, body) {
			t.Fatalf("turn %d while another process holds the write lock: got %d %s, want 200 and the fallback", i, code, body)
		}
	}
	code, body := getAdmin(t, m, "/readyz")
	if code == 200 && strings.Contains(body, `"status":"ok"`) {
		t.Errorf("/readyz while every turn fails to commit: got %d %s, want 503 failed (or at least not ok)", code, body)
	}

	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatalf("release the write lock: %v", err)
	}
	code, body = getAdmin(t, m, "/readyz")
	if code != 200 || !strings.Contains(body, `"store":"ok"`) {
		t.Errorf("/readyz after the write lock was released: got %d %s, want 200 and store ok", code, body)
	}
}
