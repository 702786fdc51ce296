package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// exampleWithLine writes configs/example.yaml with the line that starts
// with prefix (after its indent) replaced by repl (raw bytes, same indent)
// to a temp dir and returns the path.
func exampleWithLine(t *testing.T, src, prefix string, repl []byte) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(b, []byte("\n"))
	done := false
	for i, l := range lines {
		trimmed := bytes.TrimLeft(l, " ")
		if !done && bytes.HasPrefix(trimmed, []byte(prefix)) {
			indent := l[:len(l)-len(trimmed)]
			lines[i] = append(append([]byte{}, indent...), repl...)
			done = true
		}
	}
	if !done {
		t.Fatalf("no line starting with %q in %s", prefix, src)
	}
	p := filepath.Join(t.TempDir(), "baton.yaml")
	if err := os.WriteFile(p, bytes.Join(lines, []byte("\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// "환영" in CP949 (EUC-KR), the encoding Korean Windows editors save in.
const cp949Text = "\xc8\xaf\xbf\xb5"

// TestValidateCP949FlowList: a config saved in CP949 is refused with exit 1
// at its first byte that is not UTF-8 (it made `baton validate` panic, a
// slice out of range in configs.(*tree).warnCutByComment).
func TestValidateCP949FlowList(t *testing.T) {
	p := exampleWithLine(t, exampleConfig, "welcome: [", []byte("welcome: ["+cp949Text+", x]"))
	var out, errb bytes.Buffer
	code, panicked := func() (code int, panicked any) {
		defer func() { panicked = recover() }()
		return run([]string{"validate", "--config", p}, nil, &out, &errb), nil
	}()
	if panicked != nil {
		t.Fatalf("baton validate on a config with CP949 bytes in a flow list panicked: %v", panicked)
	}
	if code != 1 {
		t.Errorf("exit %d, want 1; stderr %q", code, errb.String())
	}
}

// TestReloadCP949FlowList: the same file reaching a running serve (SIGHUP,
// POST /admin/reload) is refused and the config in force stays (it
// panicked inside Reload, and on the SIGHUP path nothing recovered: the
// server died).
func TestReloadCP949FlowList(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "baton.yaml")
	b, err := os.ReadFile(exampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfgPath, b, 0o600); err != nil {
		t.Fatal(err)
	}
	m := startBaton(t, cfgPath, filepath.Join(dir, "data"), nil)
	bad := exampleWithLine(t, exampleConfig, "welcome: [", []byte("welcome: ["+cp949Text+", x]"))
	nb, _ := os.ReadFile(bad)
	if err := os.WriteFile(cfgPath, nb, 0o600); err != nil {
		t.Fatal(err)
	}
	var panicked any
	func() {
		defer func() { panicked = recover() }()
		_, err = m.Reload(context.Background(), "SIGHUP")
	}()
	if panicked != nil {
		t.Fatalf("Reload of a config with CP949 bytes panicked (runServe does not recover: the server exits): %v", panicked)
	}
	if err == nil {
		t.Errorf("reload accepted the config")
	}
}

// TestValidateNonUTF8: an FAQ alternate saved in CP949 is refused at its
// line and column, saying the file must be UTF-8: Kakao's JSON is UTF-8,
// and users would have got U+FFFD marks (validate said ok).
func TestValidateNonUTF8(t *testing.T) {
	p := exampleWithLine(t, exampleConfig, "alternates: [\"택배 어디쯤", []byte(fmt.Sprintf(`alternates: ["%s 배송"]`, cp949Text)))
	var out, errb bytes.Buffer
	code := run([]string{"validate", "--config", p}, nil, &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "UTF-8") || !strings.Contains(errb.String(), "baton.yaml:") {
		t.Errorf("a config with CP949 bytes in an FAQ alternate: exit %d, want 1 naming the file, line and UTF-8:\nstdout %q\nstderr %q", code, out.String(), errb.String())
	}
}

// TestValidateBOM: a config saved with a UTF-8 byte order mark
// (Windows Notepad's "UTF-8 (BOM)") loads (the mark was read as part of
// the first key: unknown key "\ufeff# yaml-language-server").
func TestValidateBOM(t *testing.T) {
	b, err := os.ReadFile(exampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "baton.yaml")
	if err := os.WriteFile(p, append([]byte("\ufeff"), b...), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"validate", "--config", p}, nil, &out, &errb); code != 0 {
		t.Errorf("example.yaml with a UTF-8 BOM: exit %d, want 0:\n%s", code, errb.String())
	}
}
