package store

import (
	"crypto/rand"
	"time"

	"github.com/oklog/ulid/v2"
)

// NewID returns a new ULID string for time t (millisecond precision). IDs
// made in the same millisecond increase monotonically within the process.
// It is safe for concurrent use.
func NewID(t time.Time) string {
	id, err := ulid.New(ulid.Timestamp(t), ulid.DefaultEntropy())
	if err != nil {
		// The monotonic entropy overflowed within one millisecond (or t is
		// out of ULID range); fall back to fresh randomness.
		id = ulid.MustNew(ulid.Timestamp(t), rand.Reader)
	}
	return id.String()
}
