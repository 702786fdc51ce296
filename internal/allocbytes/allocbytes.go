package allocbytes

import (
	"runtime"
)

// PerRun returns the heap bytes allocated per call of f, averaged over runs
// calls after one warm-up call, as testing.AllocsPerRun does for the count:
// GOMAXPROCS is 1 while it measures. The bytes are runtime.MemStats'
// TotalAlloc (each object at its size class), so they include what other
// goroutines allocate meanwhile — a store's writer and syncer answering
// f's request, but also any background work: leave a margin.
func PerRun(runs int, f func()) float64 {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	f()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		f()
	}
	runtime.ReadMemStats(&after)
	return float64(after.TotalAlloc-before.TotalAlloc) / float64(runs)
}

// Least returns the least of rounds PerRun(runs, f) measurements. A change
// that allocates more does so in every round, while an allocation that
// depends on timing (a pool found empty because another goroutine had not
// yet given its object back, a background goroutine's work) comes and goes
// between rounds: a ceiling on the least holds the first and tolerates the
// second.
func Least(rounds, runs int, f func()) float64 {
	least := PerRun(runs, f)
	for range rounds - 1 {
		least = min(least, PerRun(runs, f))
	}
	return least
}
