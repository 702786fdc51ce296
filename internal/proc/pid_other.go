//go:build !linux

package proc

import (
	"errors"
	"time"
)

// Of returns errors.ErrUnsupported: it reads /proc, which only Linux has
// in the form pid_linux.go reads.
func Of(pid int) (cpu time.Duration, peakRSS int64, err error) {
	return 0, 0, errors.ErrUnsupported
}
