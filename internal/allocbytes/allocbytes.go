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
