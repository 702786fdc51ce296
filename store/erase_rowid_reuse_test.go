package store

import (
	"context"
	"database/sql"
	"testing"
	"time"
)

// TestEraseFindsTurnOnReusedRowid: an erasure deletes every turn of the user
// committed before the erasure's own transaction (docs/ops.md "Erasing a
// user"), also one that took a rowid the prescan saw. turns has no
// AUTOINCREMENT (design.md §7): once the table's newest row is deleted,
// SQLite hands its rowid to the next insert. EraseUser's prescan records
// turnsMax (the largest rowid it saw) and the writer deletes the prescanned
// rowids and rowid > turnsMax. Here another erasure deletes the row at
// turnsMax after the prescan, and the user takes a turn before the
// erasure's write: that turn gets rowid turnsMax, neither prescanned nor
// above it. The writer sees that the prescan's newest row is gone and
// deletes the user's turns by user_key (eraseTurns), as eraseOutbox does
// for the outbox (TestEraseFindsOutboxRowOnReusedRowid).
func TestEraseFindsTurnOnReusedRowid(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{FlushAge: time.Hour})
	at := time.Now().Add(-time.Minute)
	va := commitTurns(t, db, "u-a", 0, 2, at)               // rowids 1, 2
	commitTurns(t, db, "u-b", 0, 1, at.Add(10*time.Second)) // rowid 3: the newest

	release := holdWriter(t, db)
	erasedB := make(chan error, 1)
	go func() { _, err := db.EraseUser(ctx, "u-b"); erasedB <- err }()
	waitQueued(t, db, 1) // u-b's erasure waits for the writer
	turnA := make(chan error, 1)
	go func() {
		w := testTurn("u-a", va, at.Add(20*time.Second))
		w.Turn.Utterance = "u-a's last words 010-****-****"
		turnA <- db.Commit(ctx, w)
	}()
	waitQueued(t, db, 2) // u-a's turn, acknowledged before u-a's erasure runs
	erasedA := make(chan error, 1)
	go func() { _, err := db.EraseUser(ctx, "u-a"); erasedA <- err }()
	waitQueued(t, db, 3) // u-a's prescan ran (it saw rowid 3 as u-b's)
	release()
	for name, ch := range map[string]chan error{"erase u-b": erasedB, "u-a's turn": turnA, "erase u-a": erasedA} {
		if err := <-ch; err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if n := countRows(t, db, "turns", "user_key = 'u-a'"); n != 0 {
		var rowid int64
		_ = db.ReadDB().QueryRow(`SELECT rowid FROM turns WHERE user_key = 'u-a'`).Scan(&rowid)
		t.Errorf("turns of the erased user left: %d (at reused rowid %d), want 0", n, rowid)
	}
}

// TestEraseFindsTurnAfterRetentionEmptiedTurns: the same reuse when
// retention deletes every turn between the prescan and the erasure's write
// (a quiet night): the user's next turn starts the rowids over at 1, below
// turnsMax and not among the prescanned rowids, and must go as well.
func TestEraseFindsTurnAfterRetentionEmptiedTurns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{FlushAge: time.Hour})
	old := time.Now().Add(-48 * time.Hour)
	commitTurns(t, db, "u-b", 0, 2, old)                      // rowids 1, 2
	va := commitTurns(t, db, "u-a", 0, 2, old.Add(time.Hour)) // rowids 3, 4
	pre, err := db.prescanOutbox(ctx, "u-a")
	if err != nil {
		t.Fatal(err)
	}
	if pre.turnsMax != 4 || len(pre.turns) != 2 {
		t.Fatalf("prescan: turns %v up to %d, want rowids 3, 4 up to 4", pre.turns, pre.turnsMax)
	}
	if _, err := db.Prune(ctx, time.Now(), Retention{Turns: time.Hour}); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, db, "turns", "1"); n != 0 {
		t.Fatalf("turns left by retention: %d, want 0", n)
	}
	w := testTurn("u-a", va, time.Now())
	w.Turn.Utterance = "u-a's turn after the prune"
	if err := db.Commit(ctx, w); err != nil {
		t.Fatal(err)
	}
	var e Erasure
	err = db.WriteEvict(ctx, []string{"u-a"}, func(tx *sql.Tx) error {
		var err error
		if e, err = userRefs(ctx, tx, "u-a"); err != nil {
			return err
		}
		e.Rows = map[string]int64{}
		return eraseRows(ctx, tx, "u-a", &e, pre)
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, db, "turns", "user_key = 'u-a'"); n != 0 || e.Rows["turns"] != 1 {
		t.Errorf("turns of the erased user left: %d (erased %d), want 0 (erased 1)", n, e.Rows["turns"])
	}
}
