package store

import (
	"context"
	"database/sql"
	"testing"
	"time"
)

// A row the outbox prescan could not see (committed after it) is still
// erased: the writer searches rows with larger rowids and unpublished ones.
func TestEraseOutboxAfterPrescan(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	at := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	const key = "late-outbox-user"
	w := testTurn(key, 0, at)
	w.Outbox = []OutboxMsg{{ID: NewID(at), Subject: "baton.timer.sched.reopen." + key, Payload: []byte(key), CreatedAt: at}}
	if err := db.Commit(ctx, w); err != nil {
		t.Fatal(err)
	}
	pre, err := db.prescanOutbox(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if len(pre.ids) != 1 {
		t.Fatalf("prescan: got %v, want the one row", pre.ids)
	}
	// Committed after the prescan: one published at once, one not.
	err = db.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`INSERT INTO outbox (id, subject, payload, created_at, published_at) VALUES (?, ?, ?, ?, ?)`,
			NewID(at), "baton.timer.sched.after_hours."+key, []byte(key), at.UnixMilli(), at.UnixMilli()); err != nil {
			return err
		}
		_, err := tx.Exec(`INSERT INTO outbox (id, subject, payload, created_at) VALUES (?, ?, ?, ?)`,
			NewID(at), "baton.timer.sched.idle.x", []byte(key), at.UnixMilli())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var e Erasure
	err = db.WriteEvict(ctx, []string{key}, func(tx *sql.Tx) error {
		var err error
		if e, err = userRefs(ctx, tx, key); err != nil {
			return err
		}
		e.Rows = map[string]int64{}
		return eraseRows(ctx, tx, key, &e, pre)
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := e.Rows["outbox"]; got != 3 {
		t.Errorf("outbox rows erased: got %d, want 3", got)
	}
	var n int
	if err := db.ReadDB().QueryRow(`SELECT COUNT(*) FROM outbox`).Scan(&n); err != nil || n != 0 {
		t.Errorf("outbox rows left: got %d (%v), want 0", n, err)
	}
}
