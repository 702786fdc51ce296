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
// GOGC off the limit alone decides when the collector runs, so the
// runtime's total sits at the limit within seconds of steady load whatever
// the live heap, instead of following a multiple of the live heap up as
// the conversation cache fills (with GOGC=100 it rose from 76 to 90 MB in
// the first 3 minutes of a soak). GOGC=400 did the same only once five
// times the live heap passed the limit: true with the load client in the
// same process, but the server alone holds 11–17 MB live in its first
// minute, so a fixed-population soak of `baton serve` read 110 MB of RSS
// after minute 1 and 135 MB after minute 2 (+24%, all of it the heap
// rising to its bound). The collector runs no more often than with any
// GOGC: once per (limit − live heap − the runtime's other memory)
// allocated.
//
// The limit leaves room for what the runtime does not see — SQLite's
// allocations (≈ 18 MB, store/memory.go) and the mapped binary (≈ 26 MB
// resident) — within the 150 MB RSS goal; the runtime's total settles near
// 0.9 × the limit. It also leaves the collector room above the live heap
// once the conversation cache is full: the server alone (`baton bench
// --soak`, which runs it in a child process) held ≈ 48 MB live then and
// ≈ 60 MB from minute 8 of a fresh-users soak at 1,000 turns/s with 50,000
// cached users (NATS's block buffer and pending timers, docs/memory.md),
// 34–44 MB with serveCacheSize; at 88 MiB a fresh-users soak at 1,000 turns/s (load
// client in the same process) fell behind in minute 4, when the cache
// filled (one run on a shared machine: suggestive, not proof). The runtime
// caps the CPU the collector may spend, so a live heap near the limit
// slows collection rather than failing — and slows every turn.
// Set GOMEMLIMIT to choose another limit (GOMEMLIMIT=off: none, and then
// GOGC keeps its default), GOGC to choose another percentage.
const (
	defaultMemoryLimit = 100 << 20
	defaultGCPercent   = -1 // GOGC=off: the limit alone
)

// serveCacheSize is the conversation cache of `baton serve` (store.Options
// CacheSize; the store's own default is store.DefaultCacheSize, 50,000).
// A cached user cost ≈ 620 B of live heap (slots, index, the decoded key
// strings: docs/memory.md), so 50,000 of them were ≈ 31 MB of the ≈ 60 MB
// the server holds at 1,000 turns/s, leaving the collector ≈ 20 MB under
// the limit: it ran once a second, and after one stall (a fresh-users soak,
// minute 5, 22 Nov 11:45 UTC) heap fragmentation and the stacks of the
// piled-up requests took the rest and it ran 10–13 times a second for the
// rest of the run (p99 ≈ 200 ms, CPU per turn ×1.7). 30,000 frees ≈ 12 MB
// for the collector; a returning user the cache no longer holds costs one
// read by primary key. Since a slot packs its strings (store/cache_slot.go)
// a cached user costs ≈ 250 B, and 30,000 of them ≈ 7.5 MB.
const serveCacheSize = 30_000

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
