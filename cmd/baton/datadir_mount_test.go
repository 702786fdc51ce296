//go:build linux

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// readOnlyMount mounts a small tmpfs holding an "existing" directory and
// remounts it read-only, as a read-only bind mount of a data directory
// would be; it skips the test where mounting is not allowed (not root).
func readOnlyMount(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=1m"); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v", err)
	}
	t.Cleanup(func() { _ = syscall.Unmount(dir, 0) })
	if err := os.Mkdir(filepath.Join(dir, "existing"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_REMOUNT|syscall.MS_RDONLY, "size=1m"); err != nil {
		t.Skipf("cannot remount the tmpfs read-only: %v", err)
	}
	return dir
}

// TestDataDirOnReadOnlyMount: a data directory on a read-only file system
// (which binds root too), existing or still to be created, fails the start
// at once with one line naming it, "not writable" and docs/ops.md.
func TestDataDirOnReadOnlyMount(t *testing.T) {
	mnt := readOnlyMount(t)
	for _, name := range []string{"existing", "new"} {
		t.Run(name, func(t *testing.T) {
			dataDir := filepath.Join(mnt, name)
			err, _ := startErr(t, dataDir)
			if err == nil {
				t.Fatalf("serve with %s on a read-only mount: got nil, want an error", dataDir)
			}
			msg := err.Error()
			if !strings.Contains(msg, dataDir) || !strings.Contains(msg, "not writable") || !strings.Contains(msg, "docs/ops.md") || strings.Contains(msg, "\n") {
				t.Errorf("serve with %s on a read-only mount: got %q, want one line naming it, \"not writable\" and docs/ops.md", dataDir, msg)
			}
		})
	}
}
