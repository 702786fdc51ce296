package handoff

import (
	"bytes"
	"maps"
	"sync"

	"github.com/baton-chat/baton/store"
)

// maxHanded bounds the rows Committed queues for the relay; past it the
// relay reads the outbox instead.
const maxHanded = 4096

// Committed hands the relay outbox rows that have just committed, so it
// publishes them without reading the outbox (a store hook calls it after
// each COMMIT, in commit order). It never blocks. Rows it cannot queue are
// read from the outbox; rows handed twice, or handed and read, are published
// and counted once, however late the hand-over, when they are handed as the
// store's Commit returned them (store.OutboxMsg.Seq set). Calling it before
// the rows commit breaks the outbox guarantee: a row would be published that
// a rollback then removes. The rows are copied: the caller may reuse them.
func (r *Relay) Committed(rows []store.OutboxMsg) {
	if len(rows) == 0 {
		return
	}
	own := make([]store.OutboxMsg, len(rows))
	for i, m := range rows {
		m.Payload = bytes.Clone(m.Payload)
		m.Headers = maps.Clone(m.Headers)
		own[i] = m
	}
	r.handed.add(own)
	r.poke()
}

// handedRows is the relay's queue of rows handed to Committed.
type handedRows struct {
	mu   sync.Mutex
	rows []store.OutboxMsg
	// full is set when rows were dropped; reset clears it.
	full bool
}

// add queues rows, or drops them and sets full when the queue has no room.
func (h *handedRows) add(rows []store.OutboxMsg) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.full || len(h.rows)+len(rows) > maxHanded {
		h.full = true
		return
	}
	h.rows = append(h.rows, rows...)
}

// take removes and returns up to n rows, oldest first; more is true when
// rows remain.
func (h *handedRows) take(n int) (rows []store.OutboxMsg, more bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	k := min(n, len(h.rows))
	rows = append([]store.OutboxMsg(nil), h.rows[:k]...)
	rest := copy(h.rows, h.rows[k:])
	clear(h.rows[rest:])
	h.rows = h.rows[:rest]
	return rows, rest > 0 || h.full
}

// overflowed reports whether rows were dropped since the last reset.
func (h *handedRows) overflowed() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.full
}

// reset empties the queue before a read of the outbox, which covers every
// row handed so far.
func (h *handedRows) reset() {
	h.mu.Lock()
	defer h.mu.Unlock()
	clear(h.rows)
	h.rows, h.full = h.rows[:0], false
}
