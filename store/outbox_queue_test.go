package store

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestQueueOutbox: queued messages are committed as pending outbox rows; a
// message without a subject commits nothing.
func TestQueueOutbox(t *testing.T) {
	t.Parallel()
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

// TestQueueOutboxOnce: a message is queued unless an unpublished row with
// its subject and payload is pending; a published row, another subject or
// another payload does not count, and one call queues a repeated message
// once.
func TestQueueOutboxOnce(t *testing.T) {
	t.Parallel()
	db, _ := openTestDB(t, Options{})
	ctx := context.Background()
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	req := func(subject, payload string) OutboxMsg {
		return OutboxMsg{Subject: subject, Payload: []byte(payload), CreatedAt: at}
	}
	const general, billing = "baton.handoff.req.general", "baton.handoff.req.billing"
	if err := db.QueueOutbox(ctx, req(general, "h-pending"), req(general, "h-published")); err != nil {
		t.Fatal(err)
	}
	rows, err := db.PendingOutbox(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if string(r.Payload) == "h-published" {
			if err := db.MarkPublished(ctx, []string{r.ID}, at); err != nil {
				t.Fatal(err)
			}
		}
	}

	n, err := db.QueueOutboxOnce(ctx,
		req(general, "h-pending"),   // pending already: skipped
		req(general, "h-published"), // published: queued
		req(billing, "h-pending"),   // another subject: queued
		req(general, "h-new"),       // queued …
		req(general, "h-new"),       // … once
	)
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Errorf("QueueOutboxOnce: got %d queued, want 3", n)
	}
	rows, err = db.PendingOutbox(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, r := range rows {
		got[r.Subject+" "+string(r.Payload)]++
	}
	want := map[string]int{general + " h-pending": 1, general + " h-published": 1, billing + " h-pending": 1, general + " h-new": 1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pending outbox (-want +got):\n%s", diff)
	}
}
