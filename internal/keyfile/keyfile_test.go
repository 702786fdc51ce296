package keyfile

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadCreatesOnceAndKeeps(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	a, err := Load(dir, "x.key")
	if err != nil || len(a) != Size {
		t.Fatalf("Load: got %d bytes, %v; want %d", len(a), err, Size)
	}
	st, err := os.Stat(filepath.Join(dir, "x.key"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: got %v, %v; want 0600", st.Mode().Perm(), err)
	}
	b, err := Load(dir, "x.key")
	if err != nil || !bytes.Equal(a, b) {
		t.Fatalf("second Load: got a different key (%v)", err)
	}
	c, err := Load(dir, "y.key")
	if err != nil || bytes.Equal(a, c) {
		t.Fatalf("another name: got the same key (%v), want a fresh one", err)
	}
}

func TestLoadRejectsAShortFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bad.key"), []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir, "bad.key"); err == nil || !strings.Contains(err.Error(), "bad.key") {
		t.Fatalf("Load of a 5-byte file: got %v, want an error naming it", err)
	}
}
