package store

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"
)

// TestPruneUsersTakesIntakeAnswers: retention.users deletes a user
// "with everything that is theirs" (Retention.Users, docs/ops.md), their
// encrypted handoff intake answers too: handoff_intake has a user_key but no
// foreign key to users, so they stayed behind, orphaned, until
// retention.contacts caught them — never, when that period was longer than
// retention.users or not set.
func TestPruneUsersTakesIntakeAnswers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	now := time.Now()
	old := now.Add(-400 * 24 * time.Hour)
	if err := db.Commit(ctx, testTurn("u-gone", 0, old)); err != nil {
		t.Fatal(err)
	}
	o := old.UnixMilli()
	execAll(t, db,
		fmt.Sprintf(`INSERT INTO handoffs(id, code, user_key, created_at, ended_at) VALUES ('h1', 'A', 'u-gone', %d, %d)`, o, o),
		fmt.Sprintf(`INSERT INTO handoff_intake(handoff_id, name, user_key, ciphertext, created_at) VALUES ('h1', 'phone', 'u-gone', x'00', %d)`, o),
		fmt.Sprintf(`INSERT INTO contacts(id, user_key, ciphertext, created_at) VALUES ('c1', 'u-gone', x'00', %d)`, o),
	)
	// Contacts kept longer than users (any period ≥ 1d passes validate).
	got, err := db.Prune(ctx, now, Retention{Users: 365 * 24 * time.Hour, Contacts: 500 * 24 * time.Hour})
	if err != nil {
		t.Fatalf("Prune: %v", err)
	}
	if got["users"] != 1 {
		t.Fatalf("users deleted: %v, want 1", got)
	}
	if n := countRows(t, db, "contacts", "user_key = 'u-gone'"); n != 0 {
		t.Errorf("contacts of the deleted user: %d, want 0", n)
	}
	if n := countRows(t, db, "handoff_intake", "user_key = 'u-gone'"); n != 0 {
		t.Errorf("handoff_intake rows of the deleted user left behind: %d, want 0 (everything that is theirs)", n)
	}
}

// TestEraseFindsOutboxRowOnReusedRowid: EraseUser's prescan (read
// pool) records the outbox's largest rowid M, and the writer then deletes
// only rows with rowid > M or still unpublished, besides the rows the
// prescan matched. outbox has no AUTOINCREMENT: when another erasure
// deletes the newest row (rowid M) between the prescan and this erasure's
// write, the next row inserted gets rowid M again. Such a row of the erased
// user (a reopen timer's schedule, whose id is the user key), published in
// the meantime, is neither matched by the prescan nor above M; it survived
// the erasure until the writer checked that the prescan's newest row is
// still there.
func TestEraseFindsOutboxRowOnReusedRowid(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	now := time.Now()
	if err := db.Commit(ctx, testTurn("u-erase", 0, now)); err != nil {
		t.Fatal(err)
	}
	ms := now.UnixMilli()
	// Another user's newest outbox row, to be erased by a concurrent erasure.
	execAll(t, db, fmt.Sprintf(`INSERT INTO outbox(id, subject, payload, created_at) VALUES
		('o-old', 's', x'00', %d), ('o-other', 'baton.timer.sched.reopen.u-other', 'u-other', %d)`, ms, ms))

	release := holdWriter(t, db)
	w1 := make(chan error, 1)
	go func() {
		// What lands between the prescan and the erasure's write: the other
		// user's row goes (their erasure), a reopen schedule of u-erase is
		// written and published.
		w1 <- db.Write(ctx, func(tx *sql.Tx) error {
			if _, err := tx.Exec(`DELETE FROM outbox WHERE id = 'o-other'`); err != nil {
				return err
			}
			_, err := tx.Exec(`INSERT INTO outbox(id, subject, payload, created_at, published_at)
				VALUES ('o-mine', 'baton.timer.sched.reopen.u-erase', 'u-erase', ?, ?)`, ms, ms)
			return err
		})
	}()
	waitQueued(t, db, 1)
	erased := make(chan error, 1)
	go func() {
		_, err := db.EraseUser(ctx, "u-erase")
		erased <- err
	}()
	waitQueued(t, db, 2) // the prescan ran; the erasure waits behind w1
	release()
	if err := <-w1; err != nil {
		t.Fatalf("w1: %v", err)
	}
	if err := <-erased; err != nil {
		t.Fatalf("EraseUser: %v", err)
	}
	if n := countRows(t, db, "outbox", "instr(subject, 'u-erase') > 0 OR instr(CAST(payload AS TEXT), 'u-erase') > 0"); n != 0 {
		var rowid int64
		_ = db.ReadDB().QueryRow(`SELECT rowid FROM outbox WHERE id = 'o-mine'`).Scan(&rowid)
		t.Errorf("outbox rows naming the erased user left behind: %d (o-mine at reused rowid %d), want 0", n, rowid)
	}
}
