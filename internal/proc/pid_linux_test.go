package proc

import (
	"os"
	"os/exec"
	"testing"
	"time"
)

// TestOfSelfAgreesWithGetrusage: /proc's view of this process matches
// getrusage's to the kernel's tick, and its peak RSS is this process's.
func TestOfSelfAgreesWithGetrusage(t *testing.T) {
	x := 0
	for start := time.Now(); time.Since(start) < 30*time.Millisecond; {
		x++ // burn CPU so that both readings are well above zero
	}
	_ = x
	before, err := CPU()
	if err != nil {
		t.Fatal(err)
	}
	cpu, rss, err := Of(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	after, err := CPU()
	if err != nil {
		t.Fatal(err)
	}
	// /proc rounds down to ticks of every thread, so it may trail
	// getrusage by a tick per thread; it can never lead it.
	if cpu > after || cpu < before-20*clockTick || cpu == 0 {
		t.Errorf("Of(self) CPU %v; getrusage said %v before and %v after", cpu, before, after)
	}
	if rss < 1<<20 || rss > 1<<34 {
		t.Errorf("Of(self) peak RSS %d bytes; want a Go test binary's (over 1 MB)", rss)
	}
}

// TestOfAnotherProcess reads a child that burns CPU: its CPU time grows
// while this process's does not move with it.
func TestOfAnotherProcess(t *testing.T) {
	cmd := exec.Command("sh", "-c", "while :; do :; done")
	if err := cmd.Start(); err != nil {
		t.Skipf("no sh: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	var got time.Duration
	for deadline := time.Now().Add(5 * time.Second); got < 5*clockTick && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond) // waiting for the child's CPU, not burning ours
		var err error
		if got, _, err = Of(cmd.Process.Pid); err != nil {
			t.Fatal(err)
		}
	}
	if got < 5*clockTick {
		t.Fatalf("child's CPU %v after 5 s of a busy loop; want at least %v", got, 5*clockTick)
	}
	if _, _, err := Of(1 << 30); err == nil {
		t.Error("Of(no such pid): want an error")
	}
}
