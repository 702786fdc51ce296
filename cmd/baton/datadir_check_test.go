package main

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// startErr runs `baton serve` on dataDir and returns Run's error (nil if it
// served; the server is closed either way) and how long Run took.
func startErr(t *testing.T, dataDir string) (error, time.Duration) {
	t.Helper()
	m := NewMain()
	m.ConfigPath = exampleConfig
	m.Addr, m.AdminAddr = "127.0.0.1:0", "127.0.0.1:0"
	m.DataDir = dataDir
	m.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	began := time.Now()
	err := m.Run(context.Background())
	took := time.Since(began)
	_ = m.Close()
	return err, took
}

// TestReadOnlyDataDirFailsAtStart makes the data directory, baton.db or the
// embedded JetStream store read-only after a first serve: the next serve
// must fail at once (not after the embedded NATS's 10 s start-up timeout)
// with one line naming the path at fault, saying it is not writable and
// pointing to docs/ops.md. (root ignores file modes: skipped as root.)
func TestReadOnlyDataDirFailsAtStart(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores file modes")
	}
	for _, tc := range []struct {
		name   string
		lock   func(t *testing.T, dataDir string) string // makes something read-only, returns its path
		fresh  bool                                      // no first serve
		wantIn string                                    // besides the path
	}{
		{name: "new data directory under a read-only parent", fresh: true, lock: func(t *testing.T, dataDir string) string {
			chmod(t, filepath.Dir(dataDir), 0o500)
			return dataDir
		}},
		{name: "data directory", lock: func(t *testing.T, dataDir string) string {
			chmod(t, dataDir, 0o500)
			return dataDir
		}},
		{name: "database file", lock: func(t *testing.T, dataDir string) string {
			p := filepath.Join(dataDir, "baton.db")
			chmod(t, p, 0o400)
			return p
		}},
		{name: "JetStream store", lock: func(t *testing.T, dataDir string) string {
			root := filepath.Join(dataDir, "nats")
			var dirs []string
			_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
				if err == nil && d.IsDir() {
					dirs = append(dirs, p)
				}
				return nil
			})
			for i := len(dirs) - 1; i >= 0; i-- { // deepest first
				chmod(t, dirs[i], 0o500)
			}
			return root
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dataDir := filepath.Join(t.TempDir(), "data")
			if !tc.fresh {
				m := startBaton(t, exampleConfig, dataDir, nil)
				if err := m.Close(); err != nil {
					t.Fatal(err)
				}
			}
			path := tc.lock(t, dataDir)
			err, took := startErr(t, dataDir)
			if err == nil {
				t.Fatalf("serve with %s read-only: got nil, want an error", path)
			}
			msg := err.Error()
			if !strings.Contains(msg, path) || !strings.Contains(msg, "not writable") || !strings.Contains(msg, "docs/ops.md") || strings.Contains(msg, "\n") {
				t.Errorf("serve with %s read-only: got %q, want one line naming it, \"not writable\" and docs/ops.md", path, msg)
			}
			if took > 2*time.Second {
				t.Errorf("serve with %s read-only failed after %v, want at once", path, took)
			}
		})
	}
}

// chmod sets path's mode and restores 0700 when the test ends (so that
// t.TempDir can remove it).
func chmod(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(path, 0o700) })
}
