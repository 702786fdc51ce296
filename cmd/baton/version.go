package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
)

// buildInfo is what the binary knows of its own build: the module version
// (a tag when installed with go install …@vX, "(devel)" for a local build),
// the VCS revision and its time, whether the tree had changes, and the Go
// version. Fields the build did not record are empty.
type buildInfo struct {
	Version  string
	Revision string
	Time     string
	Modified bool
	Go       string
}

// readBuildInfo reads the build information the Go toolchain embedded.
func readBuildInfo() buildInfo {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return buildInfo{Version: "unknown"}
	}
	b := buildInfo{Version: bi.Main.Version, Go: bi.GoVersion}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.time":
			b.Time = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	if b.Version == "" {
		b.Version = "(devel)"
	}
	return b
}

// String is the one line baton version prints: "baton v1.2.0 (0612591c…,
// 2026-11-25T00:42:00Z, modified) go1.26.8".
func (b buildInfo) String() string {
	var parts []string
	if b.Revision != "" {
		rev := b.Revision
		if len(rev) > 12 {
			rev = rev[:12]
		}
		parts = append(parts, rev)
	}
	if b.Time != "" {
		parts = append(parts, b.Time)
	}
	if b.Modified {
		parts = append(parts, "modified")
	}
	s := "baton " + b.Version
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	if b.Go != "" {
		s += " " + b.Go
	}
	return s
}

// runVersion implements `baton version`: the build's version line on
// stdout. It takes no arguments (exit 2 otherwise).
func runVersion(args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 1 && (args[0] == "-h" || args[0] == "--help"):
		fmt.Fprintln(stdout, "usage: baton version")
		return 0
	case len(args) > 0:
		fmt.Fprintf(stderr, "baton version: unexpected argument %q\nusage: baton version\n", args[0])
		return 2
	}
	fmt.Fprintln(stdout, readBuildInfo())
	return 0
}

// buildInfoGauge is baton_build_info: 1, labelled with the build, so a
// dashboard can tell which build each instance runs.
func buildInfoGauge(b buildInfo) prometheus.Collector {
	modified := "false"
	if b.Modified {
		modified = "true"
	}
	g := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "baton_build_info",
		Help:        "Always 1; the labels name the running build (version, VCS revision, whether its tree was modified, Go version).",
		ConstLabels: prometheus.Labels{"version": b.Version, "revision": b.Revision, "modified": modified, "goversion": b.Go},
	})
	g.Set(1)
	return g
}
