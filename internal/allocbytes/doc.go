// Package allocbytes measures the heap bytes a piece of code allocates, for
// the tests that pin a hot path's bytes beside testing.AllocsPerRun's
// count. It imports nothing of Baton's, so any package's tests may use it.
package allocbytes
