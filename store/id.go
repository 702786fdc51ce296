package store

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	mrand "math/rand/v2"
	"sync"
	"time"

	"github.com/oklog/ulid/v2"
)

// NewID returns a new ULID string for time t (millisecond precision). IDs
// made for the same millisecond increase monotonically within the process,
// whatever IDs for other milliseconds were made between them: the outbox
// relay publishes rows in (created_at, id) order, so two messages one write
// made at the same time leave in the order they were made even while other
// goroutines make IDs for other times (a turn's clock and a timer's, say).
// It is safe for concurrent use.
func NewID(t time.Time) string {
	return ids.next(ulid.Timestamp(t)).String()
}

// IDFrom returns the ULID for time t (millisecond precision) whose random
// part is a hash of key: the same t and key always give the same id, in
// any process, so that a write retried after a crash finds the row its
// first try committed (the router's ticket of a message it gives up again,
// say). Ids of different keys differ but for an 80-bit hash collision.
// Unlike NewID's, they are not monotonic within a millisecond.
func IDFrom(t time.Time, key string) string {
	id := idOfTime(t)
	sum := sha256.Sum256([]byte(key))
	_ = id.SetEntropy(sum[:10])
	return id.String()
}

// idFloor returns the smallest ULID string of t's millisecond: every id
// NewID and IDFrom make for t or later sorts at or above it (the
// unanswered-questions report reads its window of turns by id).
func idFloor(t time.Time) string { return idOfTime(t).String() }

// idOfTime returns the ULID of t's millisecond with a zero random part, the
// smallest of that millisecond; a time before 1970 gives the epoch's, one
// past the ULID range (after the year 10889) the range's last.
func idOfTime(t time.Time) ulid.ULID {
	var id ulid.ULID
	if ms := t.UnixMilli(); ms > 0 {
		if err := id.SetTime(uint64(ms)); err != nil {
			_ = id.SetTime(ulid.MaxTime())
		}
	}
	return id
}

// IDTime returns the time of id, and false when id is not a ULID.
func IDTime(id string) (time.Time, bool) {
	u, err := ulid.ParseStrict(id)
	if err != nil {
		return time.Time{}, false
	}
	return ulid.Time(u.Time()), true
}

// ids is the process's ID generator.
var ids = idGen{last: make(map[uint64]ulid.ULID)}

// idGen remembers the last ID made for each recent millisecond. The
// library's monotonic entropy remembers only the last millisecond it saw,
// so an ID for millisecond m made after one for m+1 started from fresh
// randomness and could sort before an earlier ID for m.
type idGen struct {
	mu   sync.Mutex
	last map[uint64]ulid.ULID // by millisecond
	max  uint64               // the latest millisecond seen
}

// idKeep is how far (in milliseconds) behind the latest millisecond seen
// the generator still remembers a millisecond's last ID: older ones are
// forgotten once idMapSize milliseconds are remembered. A second has only
// 1,000 milliseconds, so the window always fits in the map (timestamps far
// in the future aside, which only a test's clock makes).
const (
	idKeep    = 10_000
	idMapSize = 16_384
)

func (g *idGen) next(ms uint64) ulid.ULID {
	g.mu.Lock()
	defer g.mu.Unlock()
	if prev, ok := g.last[ms]; ok {
		if id, ok := increment(prev); ok {
			g.last[ms] = id
			return id
		}
	}
	var id ulid.ULID
	if err := id.SetTime(ms); err != nil {
		// Out of ULID range (after the year 10889): as the library does.
		return ulid.MustNew(ms, rand.Reader)
	}
	var e [10]byte
	_, _ = rand.Read(e[:])
	// Start in the lower half of the entropy space, so increments within
	// the millisecond practically never run out.
	e[0] &= 0x7f
	_ = id.SetEntropy(e[:])
	if ms > g.max {
		g.max = ms
	}
	if len(g.last) >= idMapSize {
		for m := range g.last {
			if m+idKeep < g.max {
				delete(g.last, m)
			}
		}
		if len(g.last) >= idMapSize {
			clear(g.last) // a burst of distinct recent milliseconds
		}
	}
	g.last[ms] = id
	return id
}

// increment returns prev with its 80-bit entropy raised by a random step of
// 1 to 2^32 (IDs stay hard to guess), and false on overflow.
func increment(prev ulid.ULID) (ulid.ULID, bool) {
	e := prev.Entropy()
	hi := uint64(binary.BigEndian.Uint16(e[:2]))
	lo := binary.BigEndian.Uint64(e[2:])
	step := uint64(mrand.Uint32()) + 1
	sum := lo + step
	if sum < lo {
		if hi == 0xffff {
			return prev, false
		}
		hi++
	}
	binary.BigEndian.PutUint16(e[:2], uint16(hi))
	binary.BigEndian.PutUint64(e[2:], sum)
	id := prev
	_ = id.SetEntropy(e)
	return id, true
}
