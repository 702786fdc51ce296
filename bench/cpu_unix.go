//go:build unix

package bench

import (
	"syscall"
	"time"
)

// usage is the process CPU time (user + system) and peak RSS in bytes.
func usage() (cpu time.Duration, maxRSS int64) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0
	}
	cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return cpu, int64(ru.Maxrss) * rssUnit
}
