package store

import (
	"context"
	"database/sql"
	"testing"
	"time"
)

// TestPendingOutboxInCommitOrder: the relay's read of the outbox returns
// rows in the order they were committed, not by their created_at — a
// write's time is taken by its caller, before it waited for the writer, so
// of two writes about one handoff the later-created can commit first.
func TestPendingOutboxInCommitOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	at := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	write := func(id string, created time.Time) {
		t.Helper()
		if err := db.Write(ctx, func(tx *sql.Tx) error {
			return db.insertOutbox(ctx, tx, []OutboxMsg{{ID: id, Subject: "baton.handoff.evt." + id, Payload: []byte(id), CreatedAt: created}})
		}); err != nil {
			t.Fatal(err)
		}
	}
	write("01ENDED", at.Add(2*time.Second))        // committed first, created later
	write("01ACCEPTED", at.Add(time.Second))       // committed second, created earlier
	write("01LATER", at.Add(500*time.Millisecond)) // a third, created earliest
	rows, err := db.PendingOutbox(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.ID)
	}
	if want := []string{"01ENDED", "01ACCEPTED", "01LATER"}; len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("pending rows %v, want commit order %v", got, want)
	}
	if rows, err := db.PendingOutbox(ctx, 2); err != nil || len(rows) != 2 || rows[1].ID != "01ACCEPTED" {
		t.Errorf("with a limit of 2: %v, %v; want the first two committed", rows, err)
	}
}
