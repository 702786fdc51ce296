//go:build unix

// Package proc reads this process's resource usage for benchmarks that
// report CPU per operation (whole process: servers, embedded NATS, clients).
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
