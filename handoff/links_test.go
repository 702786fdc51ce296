package handoff

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLinksTokens(t *testing.T) {
	now := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	l := NewLinks([]byte("key-1"), "http://admin.example/")
	l.Now = func() time.Time { return now }
	other := NewLinks([]byte("key-2"), "http://admin.example")
	other.Now = l.Now

	u := l.URL("01HLINK", LinkAccept)
	tok, ok := strings.CutPrefix(u, "http://admin.example/a/")
	if !ok {
		t.Fatalf("URL %q: want http://admin.example/a/{token}", u)
	}
	if id, action, err := l.Parse(tok); err != nil || id != "01HLINK" || action != LinkAccept {
		t.Fatalf("Parse: got %q %q %v, want 01HLINK accept nil", id, action, err)
	}
	endTok := l.Token("01HLINK", LinkEnd, now.Add(time.Minute))
	if _, action, err := l.Parse(endTok); err != nil || action != LinkEnd {
		t.Fatalf("Parse end: got %q %v, want end nil", action, err)
	}
	expired := l.Token("01HLINK", LinkAccept, now.Add(-time.Second))
	tampered := []byte(tok)
	tampered[3] ^= 1
	for name, bad := range map[string]string{
		"other key": tok, "expired": expired, "tampered": string(tampered), "empty": "", "no mac": "abc",
	} {
		p := l
		if name == "other key" {
			p = other
		}
		if _, _, err := p.Parse(bad); !errors.Is(err, ErrBadLink) {
			t.Errorf("%s: got %v, want ErrBadLink", name, err)
		}
	}
}

func TestLinkKeyPersistsAndDerives(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	k1, err := LinkKey(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, "link.key"))
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("link.key mode %o, want 600", perm)
	}
	k2, err := LinkKey(dir, "")
	if err != nil || !bytes.Equal(k1, k2) || len(k1) != 32 {
		t.Fatalf("second LinkKey: got %x (err %v), want the persisted %x", k2, err, k1)
	}
	a1, _ := LinkKey(dir, "admin-token")
	a2, _ := LinkKey(t.TempDir(), "admin-token")
	if !bytes.Equal(a1, a2) || bytes.Equal(a1, k1) {
		t.Fatalf("admin-token keys: %x and %x should match each other and differ from the file key", a1, a2)
	}
}
