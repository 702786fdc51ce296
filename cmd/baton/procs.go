package main

import (
	"os"
	"runtime"
)

// extraProcs is how many Ps applyProcs adds to the runtime's default
// GOMAXPROCS: one for each of the store's goroutines that spend most of a
// busy second outside Go, the writer (SQLite's statements and COMMIT, in
// cgo calls) and the WAL syncer (fdatasync, a blocking system call).
const extraProcs = 2

// applyProcs gives the Go runtime extraProcs more Ps than its default
// GOMAXPROCS (the CPUs Baton may use) unless GOMAXPROCS is set, and returns
// the value in force.
//
// A goroutine in a cgo call or a blocking system call keeps its P until
// the runtime's monitor takes it back (after at least 20 µs, often much
// later), so on a 2-CPU machine one fsync (0.25–0.9 ms here) or a slow
// statement idles half of the Go code's capacity: `baton bench` at
// saturation found the machine 20% idle and 16% in iowait with Baton at
// 1.5 of 2 cores. With one more P, Go code runs on the CPU a blocked
// thread leaves: 1.6–1.7 cores and a fifth more turns/s in the same runs
// (docs/benchmarks-history.md, sessions 4 and 20). With a second one,
// for the other goroutine that blocks, Baton's p99 at 1,000 turns/s was
// lower in 7 of 8 alternating pairs of bench runs (median 4.18 against
// 4.69 ms) and its saturation unchanged (docs/benchmarks.md, section 1).
// The bare handler, which never blocks, is unchanged by either. Setting
// GOMAXPROCS explicitly also stops the runtime from following later
// changes of a container's CPU limit; set GOMAXPROCS to choose yourself.
func applyProcs() int {
	if os.Getenv("GOMAXPROCS") != "" {
		return runtime.GOMAXPROCS(0)
	}
	n := runtime.GOMAXPROCS(0) + extraProcs
	runtime.GOMAXPROCS(n)
	return n
}
