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
	x := 0
	for start := time.Now(); time.Since(start) < 50*time.Millisecond; {
		x++ // burn CPU, not wall time
	}
	after, err := CPU()
	if err != nil {
		t.Fatal(err)
	}
	if after-before < 10*time.Millisecond {
		t.Errorf("CPU after 50 ms of work: +%v (x=%d), want at least 10 ms", after-before, x)
	}
}
