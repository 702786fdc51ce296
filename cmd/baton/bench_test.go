package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baton-chat/baton/bench"
)

func runBenchCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(append([]string{"bench"}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// shortBench are flags for a quick run, on the shipped example (the one
// ./baton bench reads; a package variable is set before TestMain, so not
// exampleConfig).
var shortBench = []string{"--config", shippedExample, "--duration", "250ms", "--warmup", "50ms", "--fixed-warmup", "50ms", "--settle", "50ms", "--concurrency", "4", "--rate", "100"}

func TestSlowBenchCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Baton under load")
	}
	code, out, errOut := runBenchCmd(t, shortBench...)
	if code != 0 {
		t.Fatalf("got exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{"ratio", "p99.9", "valid run", "notify sink (loopback webhook, signature checked)", " 0 rejected",
		"baton store, saturation (warm-up included): ", "baton store, fixed rate: "} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(errOut, "no notify sink configured") {
		t.Errorf("stderr has the no-sink warning; escalations should reach the bench sink:\n%s", errOut)
	}
}

func TestSlowBenchCommandURL(t *testing.T) {
	bare := httptest.NewServer(bench.BareHandler())
	t.Cleanup(bare.Close)
	fallback := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"version":"2.0","template":{"outputs":[{"textCard":{"description":"잠시 문제가 생겼어요. 상담원과 이야기하시겠어요?","buttons":[{"label":"상담원 연결","action":"operator"}]}}]}}`))
	}))
	t.Cleanup(fallback.Close)

	tests := []struct {
		name     string
		args     []string
		code     int
		inStderr string
	}{
		{"valid", []string{"--url", bare.URL + "/skill"}, 0, ""},
		{"fallbacks make it invalid", []string{"--url", fallback.URL + "/skill"}, 1, "baton saturation"},
		{"bad flag", []string{"--rate", "0"}, 2, "must be positive"},
		{"zero settle", []string{"--settle", "0s"}, 2, "must be positive"},
		{"stray argument", []string{"now"}, 2, "unexpected argument"},
		{"reference in a soak", []string{"--soak", "1m", "--reference", "upsert"}, 2, "does not apply"},
		{"reference in memory mode", []string{"--rss-users", "10", "--reference", "upsert"}, 2, "does not apply"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.code != 2 && testing.Short() {
				t.Skip("runs load phases")
			}
			args := tt.args
			if tt.code != 2 {
				args = append(append([]string(nil), shortBench...), tt.args...)
			}
			code, out, errOut := runBenchCmd(t, args...)
			if code != tt.code {
				t.Fatalf("got exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errOut)
			}
			if !strings.Contains(errOut, tt.inStderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.inStderr, errOut)
			}
		})
	}
}

// TestBenchMemprofileHelp: the comparison mode's alloc profiles are
// cumulative counts of one process, which pprof subtracts with -base
// (-diff_base reads two runs and scales percentages to the base).
func TestBenchMemprofileHelp(t *testing.T) {
	var help bytes.Buffer
	if _, err := parseBenchFlags([]string{"-h"}, &help); err == nil {
		t.Fatal("-h: got no error, want flag.ErrHelp")
	}
	if h := help.String(); !strings.Contains(h, "-sample_index=alloc_space -base FILE.base") {
		t.Errorf("--memprofile's help does not say -base FILE.base for the comparison mode's alloc profiles:\n%s", h)
	}
}

// TestSlowBenchCommandProfiles: --cpuprofile and, in comparison mode,
// --memprofile write the Baton saturation phase's profiles.
func TestSlowBenchCommandProfiles(t *testing.T) {
	if testing.Short() {
		t.Skip("runs load phases")
	}
	bare := httptest.NewServer(bench.BareHandler())
	t.Cleanup(bare.Close)
	dir := t.TempDir()
	cpu, heap := filepath.Join(dir, "cpu.prof"), filepath.Join(dir, "alloc.prof")
	code, out, errOut := runBenchCmd(t, append(append([]string(nil), shortBench...),
		"--url", bare.URL+"/skill", "--cpuprofile", cpu, "--memprofile", heap)...)
	if code != 0 {
		t.Fatalf("got exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, path := range []string{cpu, heap + ".base", heap} {
		b, err := os.ReadFile(path)
		if err != nil || len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b { // pprof files are gzipped
			t.Errorf("%s: got %d bytes (err %v), want a gzipped profile", filepath.Base(path), len(b), err)
		}
	}
}
