//go:build stagetrace

package stagetrace

// Enabled: this binary was built with -tags stagetrace and records stages.
const Enabled = true
