package main

import (
	"bytes"
	"net/http"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// TestVersion: `baton version` prints one line naming the build and the Go
// version it was built with; an argument is a usage error.
func TestVersion(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"version"}, nil, &out, &errOut); code != 0 {
		t.Fatalf("baton version: exit %d, stderr %q", code, errOut.String())
	}
	line := out.String()
	if !strings.HasPrefix(line, "baton ") || !strings.HasSuffix(line, " "+runtime.Version()+"\n") || strings.Count(line, "\n") != 1 {
		t.Errorf("baton version: got %q, want one line \"baton <version> … %s\"", line, runtime.Version())
	}
	out.Reset()
	if code := run([]string{"version", "--short"}, nil, &out, &errOut); code != 2 || out.Len() != 0 {
		t.Errorf("baton version --short: exit %d, stdout %q; want 2 and nothing", code, out.String())
	}

	// The line's parts, from a build that recorded them.
	b := buildInfo{Version: "v1.2.0", Revision: "053cf88ccecc0123456789abcdef", Time: "2026-11-25T01:12:39Z", Modified: true, Go: "go1.26.8"}
	if got, want := b.String(), "baton v1.2.0 (053cf88ccecc, 2026-11-25T01:12:39Z, modified) go1.26.8"; got != want {
		t.Errorf("String: got %q, want %q", got, want)
	}
	if got, want := (buildInfo{Version: "(devel)", Go: "go1.26.8"}).String(), "baton (devel) go1.26.8"; got != want {
		t.Errorf("String without VCS: got %q, want %q", got, want)
	}
}

// TestMetricsNameTheBuild: /metrics carries baton_build_info with the Go
// version as a label, so a dashboard tells which build each instance runs.
func TestMetricsNameTheBuild(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string { return s })
	m := startBatonEnv(t, path, t.TempDir(), nil, testEnv{})
	code, raw := adminRaw(t, m, "", http.MethodGet, "/metrics", "")
	if code != http.StatusOK {
		t.Fatalf("GET /metrics: %d", code)
	}
	re := regexp.MustCompile(`(?m)^baton_build_info\{[^}]*goversion="` + regexp.QuoteMeta(runtime.Version()) + `"[^}]*\} 1$`)
	if !re.Match(raw) {
		t.Errorf("GET /metrics: no baton_build_info{…goversion=%q…} 1 line in\n%.2000s", runtime.Version(), raw)
	}
}
