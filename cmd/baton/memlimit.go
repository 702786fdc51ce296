package main

import (
	"os"
	"runtime/debug"
)

// defaultMemoryLimit is the Go runtime's soft memory limit when GOMEMLIMIT is
// not set. Baton's live heap is dominated by the bounded conversation cache
// (≈ 45 MB at its 100,000 users); with the default GOGC the runtime lets the
// heap grow to twice the live heap and keeps it mapped, which puts the
// process over 150 MB of RSS although less than half of it is in use. A soft
// limit makes the collector run earlier instead (the runtime caps the CPU it
// may spend, so a larger live heap slows collection rather than failing).
// Set GOMEMLIMIT to choose another limit, e.g. GOMEMLIMIT=off.
const defaultMemoryLimit = 100 << 20

// applyMemoryLimit sets defaultMemoryLimit unless GOMEMLIMIT is set, and
// returns the limit in force (math.MaxInt64 when none).
func applyMemoryLimit() int64 {
	if os.Getenv("GOMEMLIMIT") != "" {
		return debug.SetMemoryLimit(-1) // -1 reads the limit without changing it
	}
	debug.SetMemoryLimit(defaultMemoryLimit)
	return defaultMemoryLimit
}
