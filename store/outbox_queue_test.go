package store

import (
	"context"
	"testing"
	"time"
)

// TestQueueOutbox: queued messages are committed as pending outbox rows; a
// message without a subject commits nothing.
func TestQueueOutbox(t *testing.T) {
	db, _ := openTestDB(t, Options{})
	ctx := context.Background()
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	if err := db.QueueOutbox(ctx, OutboxMsg{Subject: "baton.handoff.req.general", Payload: []byte("h1"), CreatedAt: at},
		OutboxMsg{Subject: ""}); err == nil {
		t.Fatal("QueueOutbox with an empty subject: got nil error, want one")
	}
	if err := db.QueueOutbox(ctx, OutboxMsg{Subject: "baton.handoff.req.general", Payload: []byte("h2"), CreatedAt: at}); err != nil {
		t.Fatal(err)
	}
	rows, err := db.PendingOutbox(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || string(rows[0].Payload) != "h2" || rows[0].ID == "" {
		t.Fatalf("pending outbox: got %+v, want one row with payload h2 and an id", rows)
	}
}
