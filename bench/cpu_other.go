//go:build !unix

package bench

import "time"

// usage is not available on this platform; CPU per turn reads as 0.
func usage() (cpu time.Duration, maxRSS int64) { return 0, 0 }
