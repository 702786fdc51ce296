package store

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// TestVetWithoutCgo vets the store as `GOOS=darwin go vet ./store/` from a
// Linux machine does: a cross build has cgo off, so mattn/go-sqlite3 is a
// stub and cgo files (memory_cgo.go) drop out; the package must still
// type-check (memory_nocgo.go). Slow on a cold build cache (the standard
// library is compiled for darwin), so not under -short.
func TestVetWithoutCgo(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the standard library for darwin on a cold cache")
	}
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(gobin); err != nil {
		if gobin, err = exec.LookPath("go"); err != nil {
			t.Skip("no go command to run vet with")
		}
	}
	for _, goos := range []string{"darwin", "windows"} {
		t.Run(goos, func(t *testing.T) {
			cmd := exec.Command(gobin, "vet", ".", "../internal/proc")
			cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH=amd64", "CGO_ENABLED=0")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("GOOS=%s CGO_ENABLED=0 go vet: %v\n%s", goos, err, out)
			}
		})
	}
}
