package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/baton-chat/baton/fsm"
)

// tableVersion is the conversations row's version (0: no row).
func tableVersion(t *testing.T, db *DB, key string) int64 {
	t.Helper()
	var v int64
	if err := db.ReadDB().QueryRow(`SELECT coalesce((SELECT version FROM conversations WHERE user_key = ?), 0)`, key).
		Scan(&v); err != nil {
		t.Fatalf("conversation row of %s: %v", key, err)
	}
	return v
}

// commitTurns commits n turns for key, starting from version v, and returns
// the version after the last.
func commitTurns(t *testing.T, db *DB, key string, v int64, n int, at time.Time) int64 {
	t.Helper()
	for i := range n {
		w := testTurn(key, v, at.Add(time.Duration(i)*time.Second))
		w.Turn.Utterance = fmt.Sprintf("%s turn %d", key, v+1)
		if err := db.Commit(context.Background(), w); err != nil {
			t.Fatalf("Commit %s from version %d: %v", key, v, err)
		}
		v = w.Conv.Version
	}
	return v
}

func TestJournalRowsTrailTurnsUntilFlushed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{FlushAge: time.Hour})
	at := time.Now()
	v := commitTurns(t, db, "u-j", 0, 3, at)
	if v != 3 {
		t.Fatalf("version after three turns: got %d, want 3", v)
	}
	// The users row is written with the first turn (other tables refer to
	// it); the conversation row waits, its turns in the journal.
	if n := countRows(t, db, "users", "key = 'u-j'"); n != 1 {
		t.Errorf("users rows: got %d, want 1", n)
	}
	if got := tableVersion(t, db, "u-j"); got != 0 {
		t.Errorf("conversation row before the flush: version %d, want none", got)
	}
	if n := countRows(t, db, "conv_journal", "user_key = 'u-j'"); n != 3 {
		t.Errorf("journal rows: got %d, want 3", n)
	}
	if _, c, _, err := db.Load(ctx, "u-j"); err != nil || c.Version != 3 {
		t.Errorf("Load: version %d, %v, want 3 (the cache is current)", c.Version, err)
	}
	if st := db.Stats(); st.Dirty != 1 {
		t.Errorf("Stats.Dirty: got %d, want 1", st.Dirty)
	}
	if err := db.Flush(ctx); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	if got := tableVersion(t, db, "u-j"); got != 3 {
		t.Errorf("conversation row after the flush: version %d, want 3", got)
	}
	if n := countRows(t, db, "conv_journal", "1"); n != 0 {
		t.Errorf("journal rows after the flush: got %d, want 0", n)
	}
	if st := db.Stats(); st.Dirty != 0 {
		t.Errorf("Stats.Dirty after the flush: got %d, want 0", st.Dirty)
	}
}

// A flush that empties the journal must not make the next turns' rows
// outlive their own flush: SQLite's rowid starts again at 1 in an empty
// table, below the seqs the writer had freed already.
func TestJournalRowsGoAfterTheJournalEmptied(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{FlushAge: time.Hour})
	v := int64(0)
	for round := range 3 {
		v = commitTurns(t, db, "u-again", v, 2, time.Now())
		if err := db.Flush(ctx); err != nil {
			t.Fatalf("Flush %d: %v", round, err)
		}
		if got := tableVersion(t, db, "u-again"); got != v {
			t.Errorf("round %d: conversation row version %d, want %d", round, got, v)
		}
		if n := countRows(t, db, "conv_journal", "1"); n != 0 {
			t.Errorf("round %d: %d journal rows after the flush, want 0", round, n)
		}
	}
}

func TestJournalFlushesByItselfWhenIdle(t *testing.T) {
	t.Parallel()
	db, _ := openTestDB(t, Options{FlushAge: 20 * time.Millisecond})
	commitTurns(t, db, "u-idle", 0, 2, time.Now())
	deadline := time.Now().Add(5 * time.Second)
	for tableVersion(t, db, "u-idle") != 2 || countRows(t, db, "conv_journal", "1") != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("conversation row version %d and %d journal rows 5 s after the turns, want 2 and 0",
				tableVersion(t, db, "u-idle"), countRows(t, db, "conv_journal", "1"))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestJournalCloseWritesRows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := t.TempDir() + "/baton.db"
	db, err := Open(ctx, path, Options{FlushAge: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	commitTurns(t, db, "u-close", 0, 2, time.Now())
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// Read the file without Open (which would replay a journal).
	db2, err := Open(ctx, path, Options{CacheSize: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if got := tableVersion(t, db2, "u-close"); got != 2 {
		t.Errorf("conversation row after Close: version %d, want 2", got)
	}
	if n := countRows(t, db2, "conv_journal", "1"); n != 0 {
		t.Errorf("journal rows after Close: got %d, want 0", n)
	}
}

func TestJournalKeepsDirtyEntriesBounded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{CacheSize: 8, FlushAge: time.Hour})
	const users = 40
	for i := range users {
		commitTurns(t, db, fmt.Sprintf("u-%02d", i), 0, 2, time.Now())
		// More than half the cache dirty: the writer writes the oldest
		// entries whatever their age, so the cache keeps its bound.
		if st := db.Stats(); st.Dirty > 5 || st.CacheEntries > 10 {
			t.Fatalf("after user %d: %d entries, %d dirty, want <= 10 and <= 5", i, st.CacheEntries, st.Dirty)
		}
	}
	// Evicted or not, every conversation reads back at its version: from
	// the cache, or from rows written before the eviction.
	for i := range users {
		key := fmt.Sprintf("u-%02d", i)
		if _, c, _, err := db.Load(ctx, key); err != nil || c.Version != 2 {
			t.Errorf("Load %s: version %d, %v, want 2", key, c.Version, err)
		}
	}
	if err := db.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, db, "conversations", "version = 2"); n != users {
		t.Errorf("conversation rows at version 2 after Flush: got %d, want %d", n, users)
	}
}

func TestRecentTurnsFollowTheChain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, path := openTestDB(t, Options{FlushAge: time.Hour})
	at := time.Now().Add(-time.Hour)
	// Interleave two users; b's second turn opens a handoff (the rows
	// path), the rest go through the journal.
	va := commitTurns(t, db, "a", 0, 2, at)
	vb := commitTurns(t, db, "b", 0, 1, at)
	w := testTurn("b", vb, at.Add(10*time.Second))
	w.Turn.Utterance = "b turn 2"
	w.OpenHandoff = &Handoff{ID: "01HB", Code: "B1", Queue: "general", Reason: "user_request"}
	if err := db.Commit(ctx, w); err != nil {
		t.Fatalf("Commit with handoff: %v", err)
	}
	vb = w.Conv.Version
	va = commitTurns(t, db, "a", va, 2, at.Add(20*time.Second))
	commitTurns(t, db, "b", vb, 1, at.Add(30*time.Second))

	check := func(db *DB, label string) {
		t.Helper()
		turns, err := db.RecentTurns(ctx, "a", time.Now(), 3)
		if err != nil {
			t.Fatalf("%s: RecentTurns: %v", label, err)
		}
		var got []string
		for _, tr := range turns {
			got = append(got, tr.Utterance)
		}
		if want := []string{"a turn 2", "a turn 3", "a turn 4"}; !cmp.Equal(got, want) {
			t.Errorf("%s: recent turns of a: got %q, want %q", label, got, want)
		}
		turns, err = db.RecentTurns(ctx, "b", time.Now(), 10)
		if err != nil {
			t.Fatalf("%s: RecentTurns: %v", label, err)
		}
		got = got[:0]
		for _, tr := range turns {
			got = append(got, tr.Utterance)
		}
		if want := []string{"b turn 1", "b turn 2", "b turn 3"}; !cmp.Equal(got, want) {
			t.Errorf("%s: recent turns of b: got %q, want %q", label, got, want)
		}
	}
	check(db, "cached")
	// A store without a cache reads the chain's head from the rows (the
	// journal replayed at open).
	cold, err := Open(ctx, path, Options{CacheSize: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer cold.Close()
	check(cold, "uncached")
	if va != 4 {
		t.Errorf("a's version: got %d, want 4", va)
	}
}

func TestEraseDirtyUser(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, path := openTestDB(t, Options{FlushAge: time.Hour})
	commitTurns(t, db, "u-erase", 0, 3, time.Now())
	commitTurns(t, db, "u-keep", 0, 2, time.Now())
	e, err := db.EraseUser(ctx, "u-erase")
	if err != nil {
		t.Fatalf("EraseUser: %v", err)
	}
	if e.Rows["turns"] != 3 {
		t.Errorf("turns erased: got %d, want 3", e.Rows["turns"])
	}
	if _, _, found, err := db.Load(ctx, "u-erase"); err != nil || found {
		t.Errorf("Load after erasure: found %v, %v, want not found", found, err)
	}
	for _, table := range []string{"turns", "conv_journal", "conversations", "users"} {
		col := "user_key"
		if table == "users" {
			col = "key"
		}
		if n := countRows(t, db, table, col+" = 'u-erase'"); n != 0 {
			t.Errorf("%s rows of the erased user: got %d, want 0", table, n)
		}
	}
	// A turn that read the erased conversation conflicts; the user starts over.
	if err := db.Commit(ctx, testTurn("u-erase", 3, time.Now())); err == nil {
		t.Errorf("Commit from the erased version: got nil, want an error")
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db2, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if _, _, found, err := db2.Load(ctx, "u-erase"); err != nil || found {
		t.Errorf("Load after reopen: found %v, %v, want not found", found, err)
	}
	if _, c, _, err := db2.Load(ctx, "u-keep"); err != nil || c.Version != 2 {
		t.Errorf("Load of the other user after reopen: version %d, %v, want 2", c.Version, err)
	}
}

func TestJournalEncodingRoundTrip(t *testing.T) {
	t.Parallel()
	at := time.UnixMilli(1763791200123).UTC()
	c := fsm.Conversation{State: fsm.StateAfterHours, MenuPath: []string{"order", "ship"}, FAQMisses: 2,
		Clarify: []string{"faq-1"}, CSATPending: fsm.CSATFromReply, HandoffID: "01H", Queue: "general", StateSince: at, LastTurnAt: at,
		ConfigVersion: "v\"1\\", Intake: fsm.Intake{Step: fsm.IntakeContact, Message: "환불 \x01 문의 \xff"}}
	b := appendConvJSON(nil, &c, at, 42)
	got, updated, last, err := decodeConvWire(string(b))
	if err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	want := c
	want.Intake.Message = strings.ToValidUTF8(c.Intake.Message, "\uFFFD")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("conversation (-want +got):\n%s", diff)
	}
	if !updated.Equal(at) || last != 42 {
		t.Errorf("updated %v, last turn %d; want %v, 42", updated, last, at)
	}
	u := User{Key: "k", BotID: "bot!", PlusfriendKey: "pf", AppUserID: "app", IsFriend: true, Test: true,
		FirstSeen: at, LastSeen: at.Add(time.Minute)}
	gotU, err := decodeUserWire("k", string(appendUserJSON(nil, &u)))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(u, gotU); diff != "" {
		t.Errorf("user (-want +got):\n%s", diff)
	}
}
