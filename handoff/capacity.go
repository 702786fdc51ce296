package handoff

import (
	"context"
	"log/slog"
	"time"

	"github.com/baton-chat/baton/store"
)

// capacityTimeout bounds the count query of one escalation.
const capacityTimeout = 250 * time.Millisecond

// Capacity counts the handoffs waiting in a queue for max_waiting; it
// implements fsm.Capacity from the store (one indexed COUNT per escalation
// to a queue with a max_waiting).
type Capacity struct {
	db  *store.DB
	log *slog.Logger
}

// NewCapacity returns a Capacity reading db.
func NewCapacity(db *store.DB, logger *slog.Logger) *Capacity {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Capacity{db: db, log: logger.With("component", "capacity")}
}

// Waiting implements fsm.Capacity. On a store error it logs and returns 0:
// a user is rather queued than refused because a count failed.
func (c *Capacity) Waiting(queue string) int {
	ctx, cancel := context.WithTimeout(context.Background(), capacityTimeout)
	defer cancel()
	n, err := c.db.WaitingCount(ctx, queue)
	if err != nil {
		c.log.Warn("capacity: waiting count failed; treating the queue as not full", "queue", queue, "err", err)
		return 0
	}
	return n
}
