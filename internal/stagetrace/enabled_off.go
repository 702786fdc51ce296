//go:build !stagetrace

package stagetrace

// Enabled is false in a normal build: every call site is guarded by it, so
// the compiler drops the recording from the turn path.
const Enabled = false
