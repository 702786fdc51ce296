package main

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/baton-chat/baton/bench"
)

func TestBenchReferenceFlag(t *testing.T) {
	tests := []struct {
		value, inStderr string
	}{
		{"bogus", `unknown reference "bogus" (known: upsert, upsert-group, upsert-normal, upsert-group-normal)`},
		{"upsert,upsert", `reference "upsert" given twice`},
	}
	for _, tt := range tests {
		code, _, errOut := runBenchCmd(t, "--reference", tt.value)
		if code != 2 || !strings.Contains(errOut, tt.inStderr) {
			t.Errorf("--reference %s: got exit %d (%s), want 2 with %q", tt.value, code, strings.TrimSpace(errOut), tt.inStderr)
		}
	}
}

func TestSlowBenchReferenceMode(t *testing.T) {
	if testing.Short() {
		t.Skip("runs load phases")
	}
	bare := httptest.NewServer(bench.BareHandler())
	t.Cleanup(bare.Close)
	args := append(append([]string(nil), shortBench...), "--url", bare.URL+"/skill",
		"--reference", "upsert-group,upsert-group-normal", "--duration", "200ms", "--warmup", "50ms")
	code, out, errOut := runBenchCmd(t, args...)
	if code != 0 {
		t.Fatalf("got exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{"references: bare + one SQLite upsert per turn", "CPU ratio  durable", "durable NO: synchronous=NORMAL", "valid run"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	for _, ref := range []string{"upsert-group", "upsert-group-normal"} {
		if n := strings.Count(out, "  "+ref+" "); n != 2 { // its saturation row and its validity row
			t.Errorf("got %d rows for %s, want 2:\n%s", n, ref, out)
		}
		if !strings.Contains(errOut, "baton bench: "+ref+" saturation…") {
			t.Errorf("stderr lacks the %s phase:\n%s", ref, errOut)
		}
	}
}
