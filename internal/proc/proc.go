//go:build unix

// Package proc reads resource usage for benchmarks that report CPU per
// operation: this process's (servers, embedded NATS, clients), and on
// Linux another process's (a server the benchmark started as a child).
package proc

import (
	"syscall"
	"time"
)

// CPU returns the CPU time (user + system) this process has used, or an
// error when getrusage fails.
func CPU() (time.Duration, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, err
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}
