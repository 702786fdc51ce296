package store

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// TestSlowVetWithoutCgo vets the store with cgo off, the path
// `GOOS=darwin go vet ./store/` takes from a Linux machine (a cross build
// has cgo off): mattn/go-sqlite3 is then a stub and cgo files
// (memory_cgo.go) drop out, and the package must still type-check
// (memory_nocgo.go). It vets for this machine's GOOS: on a warm cache that
// recompiles only the standard library's cgo-dependent packages (≈ 13 s),
// where a darwin target compiles all of it (≈ 55–90 s). Not under -short.
func TestSlowVetWithoutCgo(t *testing.T) {
	if testing.Short() {
		t.Skip("recompiles part of the standard library without cgo")
	}
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(gobin); err != nil {
		if gobin, err = exec.LookPath("go"); err != nil {
			t.Skip("no go command to run vet with")
		}
	}
	cmd := exec.Command(gobin, "vet", ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("CGO_ENABLED=0 go vet ./store/: %v\n%s", err, out)
	}
}
