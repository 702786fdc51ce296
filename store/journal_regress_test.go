package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
)

// TestFillAfterRepairRefused: a read that missed the cache while a failed
// batch left the tables behind the journal must not fill the cache with
// what it read once the writer has replayed the journal. The steps of
// Load's miss path (get, the table read, fill) are taken by hand around the
// repair, the interleaving a race would give.
func TestFillAfterRepairRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	const key = "u-race"

	// v1 in the rows (Flush), v2 only in the journal (a dirty entry).
	w := testTurn(key, 0, at)
	if err := db.Commit(ctx, w); err != nil {
		t.Fatal(err)
	}
	if err := db.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	w2 := testTurn(key, w.Conv.Version, at.Add(time.Second))
	if err := db.Commit(ctx, w2); err != nil {
		t.Fatal(err)
	}
	if d := db.Stats().Dirty; d != 1 {
		t.Fatalf("dirty = %d, want 1", d)
	}
	v2 := w2.Conv.Version

	// A journaled turn whose turn id is taken fails its whole batch: the
	// user is dropped and the journal marked broken.
	bad := testTurn(key, v2, at.Add(2*time.Second))
	bad.Turn.ID = w2.Turn.ID
	if err := db.Commit(ctx, bad); err == nil || errors.Is(err, ErrConflict) {
		t.Fatalf("commit with a taken turn id: %v, want a batch failure", err)
	}
	_, _, ok, epoch := db.cache.get(key)
	if ok {
		t.Fatal("user still cached after the failed batch")
	}
	u, c, lastTurn, found, err := db.loadTable(ctx, key)
	if err != nil || !found {
		t.Fatalf("loadTable: %v %v", found, err)
	}
	if c.Version != v2-1 {
		t.Fatalf("table version %d, want %d (behind the journal)", c.Version, v2-1)
	}
	if err := db.Flush(ctx); err != nil { // the next batch replays the journal first
		t.Fatal(err)
	}
	db.cache.fill(key, u, c, lastTurn, epoch)

	_, cached, _, err := db.Load(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if cached.Version != v2 {
		t.Fatalf("Load after the repair: version %d, want %d (the journal's)", cached.Version, v2)
	}
	next := testTurn(key, cached.Version, at.Add(3*time.Second))
	next.Conv.State = fsm.State("after_repair")
	if err := db.Commit(ctx, next); err != nil {
		t.Fatal(err)
	}
	if err := db.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if _, after, _, _, err := db.loadTable(ctx, key); err != nil || after.State != "after_repair" {
		t.Errorf("the acknowledged turn's conversation: state %q version %d, err %v; want after_repair", after.State, after.Version, err)
	}
}

// TestTurnChainsAfterRowidReuse: retention that deletes every turn (a quiet
// bot) lets SQLite hand the freed rowids out again, while last_turn and the
// next turn's prev still name them. The chains must still end: RecentTurns
// gives each stored turn once, another user's turns holding a reused rowid
// are neither shown nor deleted with the first user, and the users prune,
// which follows the chain unbounded, finishes.
func TestTurnChainsAfterRowidReuse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	versions := map[string]int64{}
	commit := func(key string, at time.Time) {
		t.Helper()
		w := testTurn(key, versions[key], at)
		if err := db.Commit(ctx, w); err != nil {
			t.Fatal(err)
		}
		versions[key] = w.Conv.Version
	}
	for i := range 3 {
		commit("u-quiet", at.Add(time.Duration(i)*time.Second))
	}
	for i := range 2 {
		commit("u-early", at.Add(time.Duration(3+i)*time.Second))
	}
	later := at.Add(100 * 24 * time.Hour)
	if _, err := db.Prune(ctx, later, Retention{Turns: 90 * 24 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, db, "turns", "1"); n != 0 {
		t.Fatalf("%d turns left after the prune, want 0", n)
	}
	// rowids 1–5 again: u-quiet's own three take 1–3 (its last_turn was 3,
	// so the third links to itself), u-other takes 4 and 5 (u-early's
	// last_turn).
	for i := range 3 {
		commit("u-quiet", later.Add(time.Duration(i)*time.Second))
	}
	for i := range 2 {
		commit("u-other", later.Add(time.Duration(3+i)*time.Second))
	}
	got, err := db.RecentTurns(ctx, "u-quiet", later.Add(time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, tr := range got {
		seen[tr.ID] = true
	}
	if len(got) != 3 || len(seen) != 3 {
		t.Errorf("RecentTurns of u-quiet: %d turns (%d distinct), want its 3 stored turns once each", len(got), len(seen))
	}

	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	// u-early and u-quiet expire; u-other was just seen.
	deleted, err := db.Prune(pctx, later.Add(3*time.Second+20*24*time.Hour), Retention{Users: 20 * 24 * time.Hour})
	if err != nil || deleted["users"] != 2 {
		t.Fatalf("users prune: deleted %v, err %v; want u-early and u-quiet", deleted, err)
	}
	if n := countRows(t, db, "turns", "user_key = 'u-other'"); n != 2 {
		t.Errorf("u-other has %d turns after u-early's prune, want 2 (one holds u-early's old last_turn)", n)
	}
	if n := countRows(t, db, "turns", "user_key = 'u-quiet'"); n != 0 {
		t.Errorf("u-quiet has %d turns after its prune, want 0", n)
	}
}

// TestRowsPathTurnCleansDirtyEntry: a dirty (journaled) user whose next turn
// takes the rows path (it queues an outbox message) has every row written by
// that batch, so the entry is clean after it, not pinned for good.
func TestRowsPathTurnCleansDirtyEntry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	const key = "u-rows"
	journaledUser(t, db, key, at)
	e, _ := db.cache.peek(key)
	if !e.dirty {
		t.Fatal("the journaled user's entry is not dirty")
	}
	w := testTurn(key, e.conv.Version, at.Add(time.Minute))
	w.Outbox = []OutboxMsg{{Subject: "test.rows", Payload: []byte("x")}}
	if err := db.Commit(ctx, w); err != nil {
		t.Fatal(err)
	}
	e, ok := db.cache.peek(key)
	if !ok {
		t.Fatal("entry gone after the rows-path turn")
	}
	if e.dirty || db.Stats().Dirty != 0 {
		t.Errorf("after the rows-path turn: entry dirty %v, Stats.Dirty %d; want clean (its rows are written)", e.dirty, db.Stats().Dirty)
	}
	if _, table, _, _, err := db.loadTable(ctx, key); err != nil || table.Version != e.conv.Version {
		t.Errorf("table version %d, cache %d (err %v)", table.Version, e.conv.Version, err)
	}
}

// TestReplayKeepsNewerUserRow: a journal row holds the users row as it stood
// after its turn. A later turn of the user that wrote its rows at once (the
// rows path) changed the user again; replaying the older journal row, at
// open after a crash or after a failed batch, must not undo that change.
func TestReplayKeepsNewerUserRow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, path := openTestDB(t, Options{})
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	journaledUser(t, db, "u-other", at) // keeps the journal rows from being freed

	const key = "u-x"
	w := testTurn(key, 0, at)
	if err := db.Commit(ctx, w); err != nil {
		t.Fatal(err)
	}
	w2 := testTurn(key, w.Conv.Version, at.Add(time.Second)) // journaled, user changed
	w2.User.AppUserID = "app-A1"
	if err := db.Commit(ctx, w2); err != nil {
		t.Fatal(err)
	}
	w3 := testTurn(key, w2.Conv.Version, at.Add(2*time.Second)) // rows path, user changed again
	w3.User.AppUserID = "app-A2"
	w3.Outbox = []OutboxMsg{{Subject: "test.rows", Payload: []byte("x")}}
	if err := db.Commit(ctx, w3); err != nil {
		t.Fatal(err)
	}
	appUser := func(db *DB) string {
		t.Helper()
		var s string
		if err := db.ReadDB().QueryRow(`SELECT app_user_id FROM users WHERE key = ?`, key).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	if got := appUser(db); got != "app-A2" {
		t.Fatalf("users row after the rows-path turn: %q, want app-A2", got)
	}
	if n := countRows(t, db, "conv_journal", "user_key = '"+key+"'"); n == 0 {
		t.Fatal("no journal row of u-x left: the test would not replay anything")
	}

	// A crash now: a copy of the files, opened, replays the journal.
	crash := t.TempDir() + "/crash.db"
	copyFile(t, path, crash)
	copyFile(t, path+"-wal", crash+"-wal")
	db2, err := Open(ctx, crash, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := appUser(db2); got != "app-A2" {
		t.Errorf("after a crash and the replay at open: app_user_id %q, want app-A2", got)
	}
	if err := db2.Close(); err != nil {
		t.Fatal(err)
	}

	// The same without a crash: a failed batch makes the writer replay.
	bad := testTurn("u-new", 0, at.Add(3*time.Second))
	bad.Turn.ID = w2.Turn.ID // taken: the batch fails
	if err := db.Commit(ctx, bad); err == nil {
		t.Fatal("want a failed batch")
	}
	if err := db.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if got := appUser(db); got != "app-A2" {
		t.Errorf("after a failed batch's replay: app_user_id %q, want app-A2", got)
	}
}
