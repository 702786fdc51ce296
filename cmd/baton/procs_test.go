package main

import (
	"runtime"
	"strconv"
	"testing"
)

func TestApplyProcs(t *testing.T) {
	orig := runtime.GOMAXPROCS(0)
	t.Cleanup(func() { runtime.GOMAXPROCS(orig) })

	t.Setenv("GOMAXPROCS", "")
	if got := applyProcs(); got != orig+extraProcs || runtime.GOMAXPROCS(0) != orig+extraProcs {
		t.Errorf("without GOMAXPROCS: got %d (runtime %d), want %d", got, runtime.GOMAXPROCS(0), orig+extraProcs)
	}
	runtime.GOMAXPROCS(orig)

	// An explicit GOMAXPROCS is the operator's choice: left as the
	// runtime read it.
	t.Setenv("GOMAXPROCS", strconv.Itoa(orig))
	if got := applyProcs(); got != orig || runtime.GOMAXPROCS(0) != orig {
		t.Errorf("with GOMAXPROCS=%d: got %d (runtime %d), want %d", orig, got, runtime.GOMAXPROCS(0), orig)
	}
}
