package main

import (
	"context"
	"fmt"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/store"
)

// redriveWaitingHandoffs queues the request of every handoff still waiting
// in its queue again, for a start that created the BATON stream: a
// JetStream store that was lost (or replaced) took the requests the router
// had not finished with it, and their outbox rows are already marked
// published. The router skips targets already told (store deliveries) and
// dealers dedupe by handoff id, so a request sent twice does no harm.
// External handoffs (a dealer's own session) have no request and are left.
func (m *Main) redriveWaitingHandoffs(ctx context.Context) (int, error) {
	now := m.Now().UTC()
	var msgs []store.OutboxMsg
	for before := ""; ; {
		page, err := m.DB.ListHandoffs(ctx, store.HandoffFilter{Waiting: true, Before: before, Limit: 500})
		if err != nil {
			return 0, fmt.Errorf("baton serve: re-drive waiting handoffs: %w", err)
		}
		for _, h := range page {
			if h.Reason == handoff.ExternalReason {
				continue
			}
			msgs = append(msgs, store.OutboxMsg{ID: store.NewID(now), Subject: handoff.SubjectRequest(h.Queue),
				Payload: []byte(h.ID), CreatedAt: now})
		}
		if len(page) < 500 {
			break
		}
		before = page[len(page)-1].ID
	}
	if err := m.DB.QueueOutbox(ctx, msgs...); err != nil {
		return 0, fmt.Errorf("baton serve: re-drive waiting handoffs: %w", err)
	}
	return len(msgs), nil
}
