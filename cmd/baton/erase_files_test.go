package main

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

// TestErasedTextLeavesDatabaseFiles: DELETE /admin/users/{key} erases the
// user everywhere (docs/admin-api.md, docs/ops.md "Erasing a user"),
// including the bytes of the deleted rows in baton.db and its WAL — the
// writer zeroes deleted cells (secure_delete, store/scrub.go) — so the user
// key and utterances cannot be read back from the files with strings(1).
// (From the security audit's TestAuditErasedTextStaysInDatabaseFile.)
func TestErasedTextLeavesDatabaseFiles(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	dir := t.TempDir()
	m := startBatonEnv(t, exampleConfig, dir, nil, env)
	const user = "u-erase-forensic-5d1e"
	const said = "QZXV 배송지 변경 부탁드려요 QZXV"
	for _, tr := range []turn{{User: user, Block: "웰컴 블록"}, {User: user, Utterance: said}} {
		if code, _ := postSkill(t, m, tr.payload(), nil); code != http.StatusOK {
			t.Fatalf("turn: got %d", code)
		}
	}
	if code, body := adminCall(t, m, http.MethodDelete, "/admin/users/"+user); code != http.StatusOK || body["erased"] != true {
		t.Fatalf("erase: got %d %v", code, body)
	}
	http.DefaultClient.CloseIdleConnections()
	if err := m.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "baton.db*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("database files: %v %v", files, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, needle := range []string{user, said} {
			if bytes.Contains(b, []byte(needle)) {
				t.Errorf("%s still holds %q after the user was erased", filepath.Base(f), needle)
			}
		}
	}
}
