package main

import (
	"os"
	"runtime"
)

// applyProcs gives the Go runtime one more P than its default GOMAXPROCS
// (the CPUs Baton may use) unless GOMAXPROCS is set, and returns the value
// in force.
//
// Baton's store runs SQLite in cgo calls and fsyncs the WAL in a blocking
// system call. A goroutine in either keeps its P until the runtime's
// monitor takes it back (after at least 20 µs, often much later), so on a
// 2-CPU machine one fsync (≈ 0.6 ms here) or a slow statement idles half
// of the Go code's capacity: `baton bench` at saturation found the machine
// 20% idle and 16% in iowait with Baton at 1.5 of 2 cores. With one more
// P, Go code runs on the CPU a blocked thread leaves: 1.6–1.7 cores and
// a fifth more turns/s in the same runs (docs/benchmarks-history.md,
// sessions 4 and 20), while the bare handler, which never blocks, is
// unchanged. Setting GOMAXPROCS explicitly also stops the runtime from
// following later changes of a container's CPU limit; set GOMAXPROCS to
// choose yourself.
func applyProcs() int {
	if os.Getenv("GOMAXPROCS") != "" {
		return runtime.GOMAXPROCS(0)
	}
	n := runtime.GOMAXPROCS(0) + 1
	runtime.GOMAXPROCS(n)
	return n
}
