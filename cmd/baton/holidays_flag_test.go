package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHolidaysFlagMustExist: a --holidays directory named on the command
// line that does not exist (a typo) or is a file is a usage error of serve
// and validate alike, naming the flag and the path. Before, both went on
// with the built-in calendars only, so validate said "ok" and serve started
// without the bot master's own holidays.
func TestHolidaysFlagMustExist(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "holidayz")
	file := filepath.Join(dir, "kr.yaml")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{missing, "no such directory"},
		{file, "not a directory"},
	} {
		var out, errOut bytes.Buffer
		if code := runValidate([]string{"--config", exampleConfig, "--holidays", tc.path}, &out, &errOut); code != 2 {
			t.Errorf("validate --holidays %s: exit %d, want 2 (stdout %q)", tc.path, code, out.String())
		}
		if got := errOut.String(); !strings.Contains(got, "--holidays "+tc.path) || !strings.Contains(got, tc.want) {
			t.Errorf("validate --holidays %s: stderr %q, want the flag, the path and %q", tc.path, got, tc.want)
		}

		m := NewMain()
		m.Stderr = &bytes.Buffer{}
		err := m.ParseFlags([]string{"--config", exampleConfig, "--holidays", tc.path})
		if err == nil || !strings.Contains(err.Error(), "--holidays "+tc.path) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("serve --holidays %s: got %v, want an error naming the flag, the path and %q", tc.path, err, tc.want)
		}
	}

	// The directory beside the config may be missing: built-in calendars
	// only, as before.
	var out, errOut bytes.Buffer
	cfg := filepath.Join(dir, "baton.yaml")
	raw, err := os.ReadFile(exampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if code := runValidate([]string{"--config", cfg}, &out, &errOut); code != 0 {
		t.Errorf("validate without --holidays, no holidays/ beside the config: exit %d, stderr %q", code, errOut.String())
	}
	// An existing directory named on the command line is fine.
	m := NewMain()
	m.Stderr = &bytes.Buffer{}
	if err := m.ParseFlags([]string{"--config", exampleConfig, "--holidays", dir}); err != nil {
		t.Errorf("serve --holidays %s (exists): %v", dir, err)
	}
}
