package main

import (
	"math"
	"os"
	"runtime/debug"
)

// defaultMemoryLimit is the Go runtime's soft memory limit when GOMEMLIMIT is
// not set, and defaultGCPercent the collector's GOGC when GOGC is not set
// and a limit is in force.
//
// Together they make the Go share of Baton's memory steady under load: with
// GOGC=400 the heap goal (five times the live heap, which is at least
// ≈ 30 MB: NATS, the FAQ index, connection buffers) is above the limit from
// the start, so the limit alone decides when the collector runs and the
// runtime's total sits at the limit within seconds of steady load, instead
// of following twice the live heap up as the conversation cache fills (with
// GOGC=100 it rose by ≈ 15–30 MB over a 10-minute soak). The collector runs
// no more often than with GOGC=100: once per (limit − live heap) allocated.
//
// The limit leaves room for what the runtime does not see — SQLite's
// allocations (bounded near 20 MB, store/memory.go) and the mapped binary
// (≈ 30 MB resident) — within the 150 MB RSS goal; the live heap after
// 100,000 users (the bounded conversation cache at 50,000 entries, the rest)
// stays well below it. The runtime caps the CPU the collector may spend, so
// a live heap near the limit slows collection rather than failing.
// Set GOMEMLIMIT to choose another limit (GOMEMLIMIT=off: none, and then
// GOGC keeps its default), GOGC to choose another percentage.
const (
	defaultMemoryLimit = 88 << 20
	defaultGCPercent   = 400
)

// applyMemoryLimit sets defaultMemoryLimit unless GOMEMLIMIT is set, and
// defaultGCPercent unless GOGC is set or no limit is in force. It returns
// the limit in force (math.MaxInt64 when none).
func applyMemoryLimit() int64 {
	limit := int64(defaultMemoryLimit)
	if os.Getenv("GOMEMLIMIT") != "" {
		limit = debug.SetMemoryLimit(-1) // -1 reads the limit without changing it
	} else {
		debug.SetMemoryLimit(limit)
	}
	if os.Getenv("GOGC") == "" && limit != math.MaxInt64 {
		debug.SetGCPercent(defaultGCPercent)
	}
	return limit
}
