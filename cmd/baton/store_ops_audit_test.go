//go:build audit

package main

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestAuditReadyzSeesAStoreThatCannotCommit shows that /readyz answers
// 200 {"status":"ok","store":"ok"} while no turn can commit: another
// process holds SQLite's write lock on baton.db (an operator's sqlite3 shell
// left in a transaction, a second `baton serve` on the same --data, …), every
// /skill answer is the fallback, and serve.go's /readyz only pings the
// read-only pool (which never touches the write path) and checks the sticky
// fsync error. docs/ops.md's BatonNotReady alert ("/readyz status failed
// (store)") never fires while users get nothing but the error bubble.
func TestAuditReadyzSeesAStoreThatCannotCommit(t *testing.T) {
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
		_, _ = conn.ExecContext(ctx, "ROLLBACK")
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
}
