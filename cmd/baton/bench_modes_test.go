package main

import (
	"regexp"
	"strings"
	"testing"
)

// sinkLine is the report's notify sink line: handoffs received, and
// escalations acknowledged.
var sinkLine = regexp.MustCompile(`notify sink \(loopback webhook, signature checked\): (\d+) handoffs received in \d+ POSTs, 0 rejected; escalations acknowledged (\d+)`)

func TestSlowBenchModes(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Baton under load")
	}
	tests := []struct {
		name  string
		args  []string
		code  int
		wants []string
	}{
		{"memory", []string{"--rss-users", "300", "--rss-idle", "10ms", "--concurrency", "8"}, 0,
			[]string{"300 distinct users", "served 300, errors 0", "after 10ms idle", "goal: RSS ≤ 150 MB"}},
		{"memory over a 1 MB goal", []string{"--rss-users", "50", "--rss-idle", "1ms", "--rss-limit-mb", "1"}, 1, []string{"MISSED"}},
		{"soak", []string{"--soak", "1s", "--soak-window", "500ms", "--rate", "100"}, 0,
			[]string{"RSS after the first window", "soak passed", "memory and CPU of: the server process, from http://127.0.0.1:", "CPU/turn: the server process alone"}},
		{"soak over a fixed population", []string{"--soak", "1s", "--soak-window", "500ms", "--rate", "100", "--users", "300"}, 0,
			[]string{"RSS after the first window", "soak passed", "the server process alone"}},
		{"soak in process", []string{"--soak", "1s", "--soak-window", "500ms", "--rate", "100", "--in-process"}, 0,
			[]string{"RSS after the first window", "soak passed", "memory and CPU of: this process", "load client included"}},
		// The shipped example, as ./baton bench runs it: its child serve
		// must announce handoffs to the bench's notify sink.
		{"separate processes", []string{"--config", shippedExample, "--separate", "--duration", "250ms", "--warmup", "50ms", "--fixed-warmup", "50ms", "--settle", "50ms", "--concurrency", "4", "--rate", "100"}, 0,
			[]string{"ratio", "valid run", "each server ran in its own process (--separate)", "peak RSS of each server's own process: baton ",
				"notify sink (loopback webhook, signature checked)", " 0 rejected"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runBenchCmd(t, append([]string{"--config", exampleConfig}, tt.args...)...)
			if code != tt.code {
				t.Fatalf("got exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errOut)
			}
			for _, w := range tt.wants {
				if !strings.Contains(out, w) {
					t.Errorf("report lacks %q:\n%s", w, out)
				}
			}
			if m := sinkLine.FindStringSubmatch(out); strings.Contains(tt.name, "separate") && (m == nil || m[1] != m[2]) {
				t.Errorf("notify sink line %q; want as many handoffs received as escalations acknowledged", m)
			}
			if strings.Contains(errOut, "no notify sink is enabled") {
				t.Errorf("the Baton under test has no notify sink; want the bench's (a child serve must inherit its variables):\n%s", errOut)
			}
		})
	}
}

func TestBenchModeFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--rss-users", "-1"},
		{"--soak", "-1s"},
		{"--soak-window", "0s", "--soak", "1m"},
		{"--rss-users", "10", "--soak", "1m"},
	} {
		if code, _, errOut := runBenchCmd(t, args...); code != 2 || !strings.Contains(errOut, "separate runs") {
			t.Errorf("%v: got exit %d (%s), want 2 with the flag rules", args, code, strings.TrimSpace(errOut))
		}
	}
	for _, args := range [][]string{
		{"--separate", "--url", "http://127.0.0.1:1/skill"},
		{"--separate", "--soak", "1m"},
		{"--separate", "--cpuprofile", "cpu.pb.gz"},
	} {
		if code, _, errOut := runBenchCmd(t, args...); code != 2 || !strings.Contains(errOut, "--separate starts both servers") {
			t.Errorf("%v: got exit %d (%s), want 2 with the --separate rule", args, code, strings.TrimSpace(errOut))
		}
	}
	for _, args := range [][]string{
		{"--soak", "1m", "--url", "http://127.0.0.1:1/skill"},
		{"--soak", "1m", "--url", "http://127.0.0.1:1/skill", "--admin-url", "http://127.0.0.1:2", "--in-process"},
	} {
		if code, _, errOut := runBenchCmd(t, args...); code != 2 || !strings.Contains(errOut, "--admin-url") {
			t.Errorf("%v: got exit %d (%s), want 2 asking for --admin-url", args, code, strings.TrimSpace(errOut))
		}
	}
}
