//go:build unix

package proc

import (
	"testing"
	"time"
)

func TestCPUAdvancesWithWork(t *testing.T) {
	before, err := CPU()
	if err != nil {
		t.Fatal(err)
	}
	// Burn CPU until 10 ms of it show, for at most 5 s of wall time: on a
	// loaded machine 50 ms of wall time can give this process less than
	// 10 ms of CPU.
	x, got := 0, time.Duration(0)
	for start := time.Now(); got < 10*time.Millisecond && time.Since(start) < 5*time.Second; {
		for chunk := time.Now(); time.Since(chunk) < 10*time.Millisecond; {
			x++ // burn CPU, not wall time
		}
		after, err := CPU()
		if err != nil {
			t.Fatal(err)
		}
		got = after - before
	}
	if got < 10*time.Millisecond {
		t.Errorf("CPU after 5 s of work: +%v (x=%d), want at least 10 ms", got, x)
	}
}
