package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/oklog/ulid/v2"
)

func TestOpenPragmas(t *testing.T) {
	t.Parallel()
	db, _ := openTestDB(t, Options{})
	ctx := context.Background()
	tests := []struct {
		pragma string
		want   string
	}{
		{"synchronous", "1"}, // NORMAL: the syncer fsyncs the WAL before any reply (walsync.go)
		{"journal_mode", "wal"},
		{"foreign_keys", "1"},
		{"busy_timeout", "1000"},
		{"cache_size", strconv.Itoa(-writerCacheKiB)},
	}
	for _, tt := range tests {
		t.Run(tt.pragma, func(t *testing.T) {
			var got string
			if err := db.w.QueryRowContext(ctx, "PRAGMA "+tt.pragma).Scan(&got); err != nil {
				t.Fatalf("PRAGMA %s: %v", tt.pragma, err)
			}
			if got != tt.want {
				t.Errorf("writer PRAGMA %s: got %s, want %s", tt.pragma, got, tt.want)
			}
		})
	}
	// The checkpointer fsyncs the WAL before it copies frames into the
	// database, so the database never holds a frame that was not durable.
	var ckptSync string
	if err := db.ckpt.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&ckptSync); err != nil || ckptSync != "2" {
		t.Errorf("checkpointer PRAGMA synchronous: got %q (%v), want 2 (FULL)", ckptSync, err)
	}
	if _, err := db.ReadDB().ExecContext(ctx, `DELETE FROM users`); err == nil {
		t.Errorf("write through ReadDB: got nil error, want read-only failure")
	}
	if err := db.IntegrityCheck(ctx); err != nil {
		t.Errorf("IntegrityCheck: %v", err)
	}
}

func TestOpenTwiceMigratesOnce(t *testing.T) {
	t.Parallel()
	_, path := openTestDB(t, Options{})
	db2, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatalf("second Open: %v", err)
	}
	defer db2.Close()
	var n int
	if err := db2.ReadDB().QueryRow(`SELECT count(*) FROM goose_db_version WHERE version_id > 0`).Scan(&n); err != nil {
		t.Fatalf("count migrations: %v", err)
	}
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("migration files: %v %v", files, err)
	}
	if n != len(files) {
		t.Errorf("applied migrations: got %d, want %d (each once)", n, len(files))
	}
}

func TestCommitRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, path := openTestDB(t, Options{})
	at := time.Date(2026, 11, 22, 3, 4, 5, 678_000_000, time.UTC)
	w := &TurnWrite{
		User: User{
			Key: "u-round", BotID: "bot-1!", PlusfriendKey: "pf-1", AppUserID: "app-1",
			IsFriend: true, Test: true, FirstSeen: at.Add(-time.Hour), LastSeen: at, WelcomedAt: at.Add(-time.Minute),
		},
		Conv: fsm.Conversation{
			UserKey: "u-round", State: fsm.StateWaiting, MenuPath: []string{"main", "billing", "refund"},
			FAQMisses: 2, Clarify: []string{"faq-1", "faq-2"}, HandoffID: "01HANDOFF", Queue: "billing",
			StateSince: at.Add(-time.Second), LastTurnAt: at, WelcomedAt: at.Add(-time.Minute),
			ConfigVersion: "cfg-7",
		},
		Turn: Turn{
			ID: NewID(at), UserKey: "u-round", At: at, Block: "text", Utterance: "환불 해주세요 ****",
			Kind: "handoff", Node: "billing", Score: 0.25, State: fsm.StateWaiting, Test: true,
		},
		OpenHandoff: &Handoff{
			ID: "01HANDOFF", Code: "K7Q2", UserKey: "u-round", BotID: "bot-1!", PlusfriendKey: "pf-1",
			Queue: "billing", Target: "dealer:acme", Reason: "faq_misses", MenuPath: []string{"main", "billing"},
			FAQMisses: 2, Test: true, CreatedAt: at,
		},
		Outbox: []OutboxMsg{
			{ID: NewID(at), Subject: "baton.handoff.req", Payload: []byte(`{"id":"01HANDOFF"}`), CreatedAt: at},
			{ID: NewID(at), Subject: "baton.notify", Payload: []byte("x"), CreatedAt: at.Add(time.Millisecond)},
		},
	}
	want := *w // copies before Commit touches anything
	if err := db.Commit(ctx, w); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	if w.Conv.Version != 1 {
		t.Fatalf("version after first commit: got %d, want 1", w.Conv.Version)
	}
	wantConv := want.Conv
	wantConv.Version = 1

	gotUser, gotConv, found, err := db.Load(ctx, "u-round")
	if err != nil || !found {
		t.Fatalf("Load: found %v, err %v", found, err)
	}
	if diff := cmp.Diff(want.User, gotUser); diff != "" {
		t.Errorf("cached user (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantConv, gotConv); diff != "" {
		t.Errorf("cached conversation (-want +got):\n%s", diff)
	}
	if st := db.Stats(); st.CacheHits != 1 {
		t.Errorf("cache hits: got %d, want 1", st.CacheHits)
	}
	if diff := cmp.Diff(want.Turn, readTurn(t, db, want.Turn.ID)); diff != "" {
		t.Errorf("turn (-want +got):\n%s", diff)
	}
	h, ok, err := db.OpenHandoff(ctx, "u-round")
	if err != nil || !ok {
		t.Fatalf("OpenHandoff: ok %v, err %v", ok, err)
	}
	if diff := cmp.Diff(*want.OpenHandoff, h); diff != "" {
		t.Errorf("open handoff (-want +got):\n%s", diff)
	}
	msgs, err := db.PendingOutbox(ctx, 10)
	if err != nil {
		t.Fatalf("PendingOutbox: %v", err)
	}
	// Commit numbered the turn's rows (Seq); a read of the outbox does not.
	if diff := cmp.Diff(want.Outbox, msgs, cmpopts.IgnoreFields(OutboxMsg{}, "Seq")); diff != "" {
		t.Errorf("outbox (-want +got):\n%s", diff)
	}
	if n, err := db.CountTurns(ctx, "u-round"); err != nil || n != 1 {
		t.Errorf("CountTurns: got %d, %v, want 1", n, err)
	}

	// A warm handle (every stored user fits its cache, so Open loads them)
	// and a cold one (a cache too small to warm) agree with the cache.
	warm, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("warm Open: %v", err)
	}
	warmUser, warmConv, found, err := warm.Load(ctx, "u-round")
	if err != nil || !found {
		t.Fatalf("warm Load: found %v, err %v", found, err)
	}
	if diff := cmp.Diff(gotUser, warmUser); diff != "" {
		t.Errorf("warm user vs cached (-cached +warm):\n%s", diff)
	}
	if diff := cmp.Diff(gotConv, warmConv); diff != "" {
		t.Errorf("warm conversation vs cached (-cached +warm):\n%s", diff)
	}
	if _, _, found, err := warm.Load(ctx, "u-never-seen"); err != nil || found {
		t.Errorf("warm Load of an unknown user: found %v, err %v", found, err)
	}
	if st := warm.Stats(); st.CacheHits != 1 {
		t.Errorf("warm cache hits: got %d, want 1", st.CacheHits)
	}
	warm.Close()
	cold, err := Open(ctx, path, Options{CacheSize: 1})
	if err != nil {
		t.Fatalf("cold Open: %v", err)
	}
	defer cold.Close()
	coldUser, coldConv, found, err := cold.Load(ctx, "u-round")
	if err != nil || !found {
		t.Fatalf("cold Load: found %v, err %v", found, err)
	}
	if diff := cmp.Diff(gotUser, coldUser); diff != "" {
		t.Errorf("cold user vs cached (-cached +cold):\n%s", diff)
	}
	if diff := cmp.Diff(gotConv, coldConv); diff != "" {
		t.Errorf("cold conversation vs cached (-cached +cold):\n%s", diff)
	}
	if st := cold.Stats(); st.CacheMisses != 1 {
		t.Errorf("cold cache misses: got %d, want 1", st.CacheMisses)
	}

	// Second turn: end the handoff, keep first_seen, zero WelcomedAt keeps the stored one.
	at2 := at.Add(time.Minute)
	w2 := &TurnWrite{
		User:       User{Key: "u-round", BotID: "bot-1", LastSeen: at2, FirstSeen: at2},
		Conv:       gotConv,
		Turn:       Turn{At: at2, Block: "tap", Kind: "menu", Node: "main", State: fsm.StateBot},
		EndHandoff: &HandoffEnd{ID: "01HANDOFF", Reason: "user_cancel", At: at2},
	}
	w2.Conv.State, w2.Conv.HandoffID, w2.Conv.Queue, w2.Conv.MenuPath = fsm.StateBot, "", "", nil
	if err := db.Commit(ctx, w2); err != nil {
		t.Fatalf("second Commit: %v", err)
	}
	if w2.Conv.Version != 2 {
		t.Errorf("version after second commit: got %d, want 2", w2.Conv.Version)
	}
	if w2.Turn.ID == "" {
		t.Errorf("second turn id: got empty, want a ULID filled in")
	}
	u2, c2, _, err := db.Load(ctx, "u-round")
	if err != nil {
		t.Fatalf("Load after second commit: %v", err)
	}
	wantUser2 := User{Key: "u-round", BotID: "bot-1", FirstSeen: want.User.FirstSeen, LastSeen: at2,
		WelcomedAt: want.User.WelcomedAt}
	if diff := cmp.Diff(wantUser2, u2); diff != "" {
		t.Errorf("user after second commit (-want +got):\n%s", diff)
	}
	if c2.State != fsm.StateBot || c2.Version != 2 || c2.MenuPath != nil {
		t.Errorf("conversation after second commit: got %+v", c2)
	}
	if _, ok, err := db.OpenHandoff(ctx, "u-round"); err != nil || ok {
		t.Errorf("OpenHandoff after end: got ok %v, err %v, want none", ok, err)
	}
	h2, ok, err := db.Handoff(ctx, "01HANDOFF")
	if err != nil || !ok {
		t.Fatalf("Handoff: ok %v, err %v", ok, err)
	}
	if !h2.EndedAt.Equal(at2) || h2.EndReason != "user_cancel" {
		t.Errorf("ended handoff: got ended %v reason %q, want %v user_cancel", h2.EndedAt, h2.EndReason, at2)
	}
	// A commit from version 1 (read before the second turn) conflicts and
	// writes nothing; the next Load has version 2.
	stale := gotConv
	if stale.Version != 1 {
		t.Fatalf("first conversation version: got %d, want 1", stale.Version)
	}
	w3 := &TurnWrite{User: wantUser2, Conv: stale, Turn: Turn{At: at2.Add(time.Second)}}
	if err := db.Commit(ctx, w3); !errors.Is(err, ErrConflict) {
		t.Fatalf("stale Commit: got %v, want ErrConflict", err)
	}
	if n, err := db.CountTurns(ctx, "u-round"); err != nil || n != 2 {
		t.Errorf("turns after the stale commit: got %d, %v, want 2", n, err)
	}
	_, fresh, _, err := db.Load(ctx, "u-round")
	if err != nil || fresh.Version != 2 {
		t.Errorf("Load after conflict: version %d, err %v, want 2", fresh.Version, err)
	}
}

func TestLoadUnknownUser(t *testing.T) {
	t.Parallel()
	db, _ := openTestDB(t, Options{})
	u, c, found, err := db.Load(context.Background(), "nobody")
	if err != nil || found {
		t.Fatalf("Load unknown: found %v, err %v, want not found", found, err)
	}
	if diff := cmp.Diff(User{Key: "nobody"}, u); diff != "" {
		t.Errorf("user (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(fsm.Conversation{UserKey: "nobody"}, c); diff != "" {
		t.Errorf("conversation (-want +got):\n%s", diff)
	}
}

func TestLoadReturnsPrivateSlices(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	w := testTurn("u-slices", 0, time.Now())
	if err := db.Commit(ctx, w); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	w.Conv.MenuPath[0] = "changed-by-caller-after-commit"
	_, c, _, err := db.Load(ctx, "u-slices")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	c.MenuPath[0] = "mutated"
	c.MenuPath = append(c.MenuPath[:1], "appended")
	_, c2, _, err := db.Load(ctx, "u-slices")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if diff := cmp.Diff([]string{"main", "billing"}, c2.MenuPath); diff != "" {
		t.Errorf("cached menu path after caller mutations (-want +got):\n%s", diff)
	}
}

func TestCommitErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	now := time.Now()
	if err := db.Commit(ctx, testTurn("u-err", 0, now)); err != nil {
		t.Fatalf("first Commit: %v", err)
	}
	tests := []struct {
		name     string
		w        *TurnWrite
		conflict bool
	}{
		{"new user twice", testTurn("u-err", 0, now), true},
		{"stale version", testTurn("u-err", 5, now), true},
		{"empty user key", testTurn("", 0, now), false},
		{"conversation of another user", func() *TurnWrite {
			w := testTurn("u-err", 1, now)
			w.Conv.UserKey = "u-other"
			return w
		}(), false},
		{"handoff without id", func() *TurnWrite {
			w := testTurn("u-err", 1, now)
			w.OpenHandoff = &Handoff{Code: "X"}
			return w
		}(), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := db.Commit(ctx, tt.w)
			if err == nil {
				t.Fatalf("Commit: got nil error, want one")
			}
			if got := errors.Is(err, ErrConflict); got != tt.conflict {
				t.Errorf("errors.Is(%v, ErrConflict): got %v, want %v", err, got, tt.conflict)
			}
			if !strings.HasPrefix(err.Error(), "store: commit turn") {
				t.Errorf("error %q lacks context", err)
			}
			for _, key := range []string{"u-err", "u-other"} {
				if strings.Contains(err.Error(), key) {
					t.Errorf("error %q names the user key %q (errors are logged)", err, key)
				}
			}
		})
	}
	if n, err := db.CountTurns(ctx, "u-err"); err != nil || n != 1 {
		t.Errorf("turns after failed commits: got %d, %v, want 1", n, err)
	}
	_, c, _, err := db.Load(ctx, "u-err")
	if err != nil || c.Version != 1 {
		t.Errorf("version after failed commits: got %d, %v, want 1", c.Version, err)
	}
}

// TestSavepointIsolation puts good and conflicting turns in one batch: only
// the conflicting ones fail.
func TestSavepointIsolation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	now := time.Now()
	// Seed: u-stale at version 1, u-open with an open handoff.
	for _, key := range []string{"u-stale", "u-open"} {
		w := testTurn(key, 0, now)
		if key == "u-open" {
			w.OpenHandoff = &Handoff{ID: NewID(now), Code: "A1", Queue: "q", Target: "notify"}
		}
		if err := db.Commit(ctx, w); err != nil {
			t.Fatalf("seed %s: %v", key, err)
		}
	}
	type job struct {
		w        *TurnWrite
		conflict bool
	}
	jobs := []job{
		{testTurn("u-good-1", 0, now), false},
		{testTurn("u-stale", 7, now), true},
		{testTurn("u-good-2", 0, now), false},
		{func() *TurnWrite {
			w := testTurn("u-open", 1, now)
			w.OpenHandoff = &Handoff{ID: NewID(now), Code: "A2", Queue: "q", Target: "notify"}
			w.Outbox = []OutboxMsg{{Subject: "baton.handoff.req", Payload: []byte("second")}}
			return w
		}(), true},
		{testTurn("u-stale", 1, now), false}, // the right version in the same batch
		{testTurn("u-good-3", 0, now), false},
	}
	before := db.Stats()
	release := holdWriter(t, db)
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.Commit(ctx, j.w)
		}()
	}
	waitQueued(t, db, len(jobs))
	release()
	wg.Wait()

	for i, j := range jobs {
		if got := errors.Is(errs[i], ErrConflict); got != j.conflict || (!j.conflict && errs[i] != nil) {
			t.Errorf("job %d (%s): got err %v, want conflict=%v", i, j.w.User.Key, errs[i], j.conflict)
		}
	}
	after := db.Stats()
	// Every job queued while the holding Write ran, and the writer applies
	// what queues before it commits: one batch carried the hold and them.
	if got := after.Batches - before.Batches; got != 1 {
		t.Errorf("batches for hold + jobs: got %d, want 1", got)
	}
	if after.LargestBatch != len(jobs)+1 {
		t.Errorf("largest batch: got %d, want %d", after.LargestBatch, len(jobs)+1)
	}
	for _, key := range []string{"u-good-1", "u-good-2", "u-good-3"} {
		if n, err := db.CountTurns(ctx, key); err != nil || n != 1 {
			t.Errorf("turns of %s: got %d, %v, want 1", key, n, err)
		}
	}
	if n, err := db.CountTurns(ctx, "u-stale"); err != nil || n != 2 {
		t.Errorf("turns of u-stale: got %d, %v, want 2 (seed + right version)", n, err)
	}
	if n, err := db.CountTurns(ctx, "u-open"); err != nil || n != 1 {
		t.Errorf("turns of u-open: got %d, %v, want 1 (seed only)", n, err)
	}
	h, ok, err := db.OpenHandoff(ctx, "u-open")
	if err != nil || !ok || h.Code != "A1" {
		t.Errorf("open handoff of u-open: got %+v, %v, %v, want code A1", h, ok, err)
	}
	msgs, err := db.PendingOutbox(ctx, 100)
	if err != nil {
		t.Fatalf("PendingOutbox: %v", err)
	}
	for _, m := range msgs {
		if string(m.Payload) == "second" {
			t.Errorf("outbox row of the rolled-back turn is stored: %+v", m)
		}
	}
	_, c, _, err := db.Load(ctx, "u-open")
	if err != nil || c.Version != 1 {
		t.Errorf("u-open version: got %d, %v, want 1", c.Version, err)
	}
}

func TestWriteRollsBackOnlyItsSavepoint(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	boom := errors.New("boom")
	release := holdWriter(t, db)
	var wg sync.WaitGroup
	var errBad, errGood error
	wg.Add(2)
	go func() {
		defer wg.Done()
		errBad = db.Write(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (id, subject, payload, created_at)
				VALUES ('bad', 's', x'00', 1)`); err != nil {
				return err
			}
			return boom
		})
	}()
	waitQueued(t, db, 1)
	go func() {
		defer wg.Done()
		errGood = db.Write(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO outbox (id, subject, payload, created_at)
				VALUES ('good', 's', x'00', 2)`)
			return err
		})
	}()
	waitQueued(t, db, 2)
	release()
	wg.Wait()
	if !errors.Is(errBad, boom) {
		t.Errorf("failing Write: got %v, want boom", errBad)
	}
	if errGood != nil {
		t.Errorf("good Write: got %v, want nil", errGood)
	}
	msgs, err := db.PendingOutbox(ctx, 10)
	if err != nil {
		t.Fatalf("PendingOutbox: %v", err)
	}
	var ids []string
	for _, m := range msgs {
		ids = append(ids, m.ID)
	}
	if diff := cmp.Diff([]string{"good"}, ids); diff != "" {
		t.Errorf("outbox ids (-want +got):\n%s", diff)
	}
}

func TestCommitConcurrent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	const workers, usersPer, turns = 32, 4, 10
	var wg sync.WaitGroup
	errc := make(chan error, workers)
	for g := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			versions := make([]int64, usersPer)
			for range turns {
				for u := range usersPer {
					key := fmt.Sprintf("u-%d-%d", g, u)
					w := testTurn(key, versions[u], time.Now())
					if err := db.Commit(ctx, w); err != nil {
						errc <- err
						return
					}
					if w.Conv.Version != versions[u]+1 {
						errc <- fmt.Errorf("%s: version got %d, want %d", key, w.Conv.Version, versions[u]+1)
						return
					}
					versions[u] = w.Conv.Version
				}
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
	var total int
	if err := db.ReadDB().QueryRow(`SELECT count(*) FROM turns`).Scan(&total); err != nil {
		t.Fatalf("count turns: %v", err)
	}
	if want := workers * usersPer * turns; total != want {
		t.Errorf("turns: got %d, want %d", total, want)
	}
	// The rows trail the journal by seconds; Flush writes them now.
	if err := db.Flush(ctx); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	for _, key := range []string{"u-0-0", "u-31-3", "u-17-2"} {
		if n, err := db.CountTurns(ctx, key); err != nil || n != turns {
			t.Errorf("turns of %s: got %d, %v, want %d", key, n, err, turns)
		}
		_, c, _, found, err := db.loadTable(ctx, key)
		if err != nil || !found || c.Version != turns {
			t.Errorf("table row of %s: version %d, found %v, err %v, want version %d", key, c.Version, found, err, turns)
		}
	}
	var badVersions int
	if err := db.ReadDB().QueryRow(`SELECT count(*) FROM conversations WHERE version != ?`, turns).
		Scan(&badVersions); err != nil {
		t.Fatalf("count versions: %v", err)
	}
	if badVersions != 0 {
		t.Errorf("conversations with version != %d: got %d, want 0", turns, badVersions)
	}
	st := db.Stats()
	if st.LargestBatch < 2 {
		t.Errorf("largest batch: got %d, want > 1 (group commit never batched)", st.LargestBatch)
	}
	t.Logf("stats: %+v", st)
	if err := db.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
}

// TestDurableWithoutClose commits turns and, without closing the store,
// copies the database and its WAL as a crash would leave them; the copy must
// recover every acknowledged turn.
func TestDurableWithoutClose(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "baton.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	// Deliberately never closed before the copy: the handle is dropped.
	const n = 200
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := db.Commit(ctx, testTurn(fmt.Sprintf("u-%d", i), 0, time.Now())); err != nil {
				t.Errorf("Commit %d: %v", i, err)
			}
		}()
	}
	wg.Wait()

	crash := filepath.Join(t.TempDir(), "baton.db")
	for _, suffix := range []string{"", "-wal"} {
		copyFile(t, path+suffix, crash+suffix)
	}
	for _, p := range []string{crash, path} { // the crash copy, then the live file from a new handle
		db2, err := Open(ctx, p, Options{})
		if err != nil {
			t.Fatalf("reopen %s: %v", p, err)
		}
		var got int
		if err := db2.ReadDB().QueryRowContext(ctx, `SELECT count(*) FROM turns`).Scan(&got); err != nil {
			t.Fatalf("count turns: %v", err)
		}
		if got != n {
			t.Errorf("%s: turns got %d, want %d", p, got, n)
		}
		if err := db2.IntegrityCheck(ctx); err != nil {
			t.Errorf("%s: %v", p, err)
		}
		if err := db2.Close(); err != nil {
			t.Errorf("close %s: %v", p, err)
		}
	}
	t.Cleanup(func() { _ = db.Close() })
}

// copyFile copies src to dst.
func copyFile(t testing.TB, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatalf("open %s: %v", src, err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatalf("create %s: %v", dst, err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatalf("copy %s: %v", src, err)
	}
	if err := out.Close(); err != nil {
		t.Fatalf("close %s: %v", dst, err)
	}
}

func TestCloseDrains(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "baton.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	release := holdWriter(t, db)
	const n = 20
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.Commit(ctx, testTurn(fmt.Sprintf("u-%d", i), 0, time.Now()))
		}()
	}
	waitQueued(t, db, n)
	closed := make(chan error, 1)
	go func() { closed <- db.Close() }()
	// Close refuses new work before it drains the queue.
	checkFor(t, 10*time.Second, time.Millisecond, func() error {
		if !db.writer.isClosed() {
			return errors.New("not closing yet")
		}
		return nil
	})
	if err := db.Commit(ctx, testTurn("u-late", 0, time.Now())); !errors.Is(err, ErrClosed) {
		t.Errorf("Commit during Close: got %v, want ErrClosed", err)
	}
	release()
	if err := <-closed; err != nil {
		t.Fatalf("Close: %v", err)
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("queued Commit %d: got %v, want nil (drained)", i, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Errorf("second Close: got %v, want nil", err)
	}
	calls := map[string]error{
		"Commit":        db.Commit(ctx, testTurn("u-after", 0, time.Now())),
		"Write":         db.Write(ctx, func(*sql.Tx) error { return nil }),
		"MarkPublished": db.MarkPublished(ctx, []string{"x"}, time.Now()),
	}
	_, _, _, calls["Load"] = db.Load(ctx, "u-1")
	_, calls["CountTurns"] = db.CountTurns(ctx, "u-1")
	_, calls["PendingOutbox"] = db.PendingOutbox(ctx, 1)
	for name, err := range calls {
		if !errors.Is(err, ErrClosed) {
			t.Errorf("%s after Close: got %v, want ErrClosed", name, err)
		}
	}

	db2, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db2.Close()
	var got int
	if err := db2.ReadDB().QueryRow(`SELECT count(*) FROM turns`).Scan(&got); err != nil {
		t.Fatalf("count: %v", err)
	}
	if got != n {
		t.Errorf("turns after drain: got %d, want %d", got, n)
	}
}

func TestCommitContextDone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	t.Run("already done", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := db.Commit(cctx, testTurn("u-pre", 0, time.Now())); !errors.Is(err, context.Canceled) {
			t.Errorf("Commit: got %v, want context.Canceled", err)
		}
		if _, _, found, _ := db.Load(ctx, "u-pre"); found {
			t.Errorf("user stored despite canceled context")
		}
	})
	t.Run("canceled while queued", func(t *testing.T) {
		release := holdWriter(t, db)
		cctx, cancel := context.WithCancel(ctx)
		errc := make(chan error, 1)
		go func() { errc <- db.Commit(cctx, testTurn("u-queued", 0, time.Now())) }()
		waitQueued(t, db, 1)
		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Errorf("Commit: got %v, want context.Canceled", err)
		}
		release()
		// A later write proves the writer moved past the abandoned request.
		if err := db.Commit(ctx, testTurn("u-after", 0, time.Now())); err != nil {
			t.Fatalf("Commit after: %v", err)
		}
		if _, _, found, _ := db.Load(ctx, "u-queued"); found {
			t.Errorf("abandoned turn was stored")
		}
	})
}

func TestOutboxPublish(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	w := testTurn("u-out", 0, base)
	for i := range 5 {
		at := base.Add(time.Duration(4-i) * time.Second) // created newest first
		w.Outbox = append(w.Outbox, OutboxMsg{ID: NewID(at), Subject: fmt.Sprintf("s.%d", i),
			Payload: []byte{byte(i)}, CreatedAt: at})
	}
	if err := db.Commit(ctx, w); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	msgs, err := db.PendingOutbox(ctx, 3)
	if err != nil {
		t.Fatalf("PendingOutbox: %v", err)
	}
	var subjects []string
	for _, m := range msgs {
		subjects = append(subjects, m.Subject)
	}
	// In the order committed (inserted), whatever their times: the relay's
	// read and its hand-over publish in the same order.
	if diff := cmp.Diff([]string{"s.0", "s.1", "s.2"}, subjects); diff != "" {
		t.Errorf("commit order (-want +got):\n%s", diff)
	}
	if err := db.MarkPublished(ctx, []string{msgs[0].ID, msgs[1].ID}, base); err != nil {
		t.Fatalf("MarkPublished: %v", err)
	}
	msgs, err = db.PendingOutbox(ctx, 10)
	if err != nil {
		t.Fatalf("PendingOutbox: %v", err)
	}
	subjects = subjects[:0]
	for _, m := range msgs {
		subjects = append(subjects, m.Subject)
	}
	if diff := cmp.Diff([]string{"s.2", "s.3", "s.4"}, subjects); diff != "" {
		t.Errorf("after publish (-want +got):\n%s", diff)
	}
}

func TestNewIDMonotonic(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	prev := NewID(at)
	for i := range 1000 {
		id := NewID(at)
		if len(id) != 26 {
			t.Fatalf("id %q: got length %d, want 26", id, len(id))
		}
		if id <= prev {
			t.Fatalf("id %d: got %s after %s, want increasing", i, id, prev)
		}
		prev = id
	}
}

func TestOpenOddPath(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "dir with space#1", "b?a%20ton.db")
	db, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatalf("Open %q: %v", path, err)
	}
	defer db.Close()
	if err := db.Commit(context.Background(), testTurn("u", 0, time.Now())); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database file: %v", err)
	}
}

// TestNewIDMonotonicAcrossMilliseconds: IDs for one millisecond increase
// even when IDs for other milliseconds are made between them (two writes
// of one turn stamped with its time, interleaved with other goroutines'
// IDs for the next millisecond); the library's monotonic entropy alone
// restarted from fresh randomness whenever the millisecond changed.
func TestNewIDMonotonicAcrossMilliseconds(t *testing.T) {
	t.Parallel()
	base := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	for i := range 200 {
		at := base.Add(time.Duration(2*i) * time.Millisecond)
		first := NewID(at)
		NewID(at.Add(time.Millisecond))
		NewID(at.Add(-time.Hour))
		second := NewID(at)
		if second <= first {
			t.Fatalf("round %d: got %s after %s for the same millisecond, want increasing", i, second, first)
		}
		if got := ulid.MustParse(second).Time(); got != ulid.Timestamp(at) {
			t.Fatalf("round %d: id %s has time %d, want %d", i, second, got, ulid.Timestamp(at))
		}
	}
}

// TestIDGenForgetsOldMilliseconds: the generator's memory of milliseconds
// stays bounded however many it has seen.
func TestIDGenForgetsOldMilliseconds(t *testing.T) {
	t.Parallel()
	g := idGen{last: make(map[uint64]ulid.ULID)}
	base := ulid.Timestamp(time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC))
	for i := range uint64(100_000) {
		g.next(base + i)
		if len(g.last) > idMapSize {
			t.Fatalf("after %d milliseconds: %d remembered, want at most %d", i+1, len(g.last), idMapSize)
		}
	}
	// The latest second is still remembered: the next ID of a recent
	// millisecond continues from its last.
	last := g.last[base+99_999]
	if id := g.next(base + 99_999); id.Compare(last) <= 0 {
		t.Fatalf("got %s after %s, want increasing", id, last)
	}
}

// TestIDFrom: an id made from a time and a key is the same whenever it is
// made again (a retried write finds its row), names that time, and
// differs for another key or millisecond.
func TestIDFrom(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 24, 7, 0, 0, 123_456_789, time.UTC)
	id := IDFrom(at, "router_poison:outbox:01KA3M6ZQ7R8S9T0V1W2X3Y4Z5")
	if again := IDFrom(at, "router_poison:outbox:01KA3M6ZQ7R8S9T0V1W2X3Y4Z5"); again != id {
		t.Errorf("got %s, then %s for the same time and key, want the same id", id, again)
	}
	if got, ok := IDTime(id); !ok || !got.Equal(at.Truncate(time.Millisecond)) {
		t.Errorf("IDTime(%s): got %v, %v; want %v, true", id, got, ok, at.Truncate(time.Millisecond))
	}
	for _, other := range []string{IDFrom(at, "router_poison:outbox:01KA3M6ZQ7R8S9T0V1W2X3Y4Z6"), IDFrom(at.Add(time.Millisecond), "router_poison:outbox:01KA3M6ZQ7R8S9T0V1W2X3Y4Z5")} {
		if other == id {
			t.Errorf("got %s for another key or millisecond, want another id", other)
		}
	}
	if _, ok := IDTime("BATON-1"); ok {
		t.Error("IDTime(BATON-1): got ok, want false: not a ULID")
	}
}
