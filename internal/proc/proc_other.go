//go:build !unix

package proc

import (
	"errors"
	"time"
)

// CPU returns errors.ErrUnsupported: getrusage exists only on unix, where
// proc.go reads it.
func CPU() (time.Duration, error) {
	return 0, errors.ErrUnsupported
}
