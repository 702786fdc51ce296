package store

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// execAll runs statements in one write.
func execAll(t testing.TB, db *DB, stmts ...string) {
	t.Helper()
	err := db.Write(context.Background(), func(tx *sql.Tx) error {
		for _, s := range stmts {
			if _, err := tx.Exec(s); err != nil {
				return fmt.Errorf("%s: %w", s, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
}

// countRows counts the rows of table matching where.
func countRows(t testing.TB, db *DB, table, where string) int {
	t.Helper()
	var n int
	if err := db.ReadDB().QueryRow("SELECT count(*) FROM " + table + " WHERE " + where).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

func TestPruneDeletesOnlyExpiredRows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	now := time.Date(2026, 11, 22, 6, 0, 0, 0, time.UTC)
	day := int64(24 * time.Hour / time.Millisecond)
	ms := now.UnixMilli()
	old, fresh := ms-100*day, ms-day
	execAll(t, db,
		fmt.Sprintf(`INSERT INTO users(key, first_seen, last_seen) VALUES ('u1', %d, %d)`, old, fresh),
		// turns: one old, one fresh
		fmt.Sprintf(`INSERT INTO turns(id, user_key, at, utterance) VALUES ('t-old', 'u1', %d, 'old'), ('t-new', 'u1', %d, 'new')`, old, fresh),
		// handoffs: old ended (goes, with its delivery), old but still open (stays), fresh ended (stays)
		fmt.Sprintf(`INSERT INTO handoffs(id, code, user_key, created_at, ended_at) VALUES
			('h-old', 'A1', 'u1', %d, %d), ('h-open', 'A2', 'u1', %d, NULL), ('h-new', 'A3', 'u1', %d, %d)`, old, old, old, fresh, fresh),
		fmt.Sprintf(`INSERT INTO handoff_deliveries(handoff_id, target, delivered_at) VALUES ('h-old', 'notify:0:req', %d), ('h-new', 'notify:0:req', %d)`, old, fresh),
		// tickets: closed long ago (goes), created long ago but changed recently (stays)
		fmt.Sprintf(`INSERT INTO tickets(id, user_key, reason, created_at, closed_at, updated_at) VALUES
			('k-old', 'u1', 'dealer_failed', %d, %d, %d), ('k-busy', 'u1', 'no_sink', %d, NULL, %d)`, old-400*day, old-400*day, old-400*day, old-400*day, fresh),
		fmt.Sprintf(`INSERT INTO contacts(id, user_key, ciphertext, created_at) VALUES ('c-old', 'u1', x'00', %d), ('c-new', 'u1', x'00', %d)`, old, fresh),
		// handoff intake answers follow retention.contacts
		fmt.Sprintf(`INSERT INTO handoff_intake(handoff_id, name, user_key, ciphertext, created_at) VALUES
			('h-old', 'order', 'u1', x'00', %d), ('h-new', 'order', 'u1', x'00', %d)`, old, fresh),
		// notifications: old sent (goes), old pending due in the future (stays), old pending long overdue (goes)
		fmt.Sprintf(`INSERT INTO notifications(id, user_key, kind, status, not_before, created_at) VALUES
			('n-sent', 'u1', 'reopen', 'sent', %d, %d), ('n-wait', 'u1', 'reopen', 'pending', %d, %d), ('n-stale', 'u1', 'reopen', 'pending', %d, %d)`,
			old, old, ms+day, old, old, old),
		// timers: fired long ago (goes), pending (stays whatever its age), fired recently (stays)
		fmt.Sprintf(`INSERT INTO timers(kind, id, user_key, due_at, status, created_at, done_at) VALUES
			('wait_timeout', 'h-old', 'u1', %d, 'fired', %d, %d), ('reopen', 'u1', 'u1', %d, 'pending', %d, NULL), ('idle', 'h-new', 'u1', %d, 'cancelled', %d, %d)`,
			old, old, old, old, old, fresh, fresh, fresh),
		// outbox: published long ago (goes), never published (stays: the relay re-drives it)
		fmt.Sprintf(`INSERT INTO outbox(id, subject, payload, created_at, published_at) VALUES
			('o-old', 's', x'00', %d, %d), ('o-unpub', 's', x'00', %d, NULL)`, old, old, old),
	)
	r := Retention{Turns: 90 * 24 * time.Hour, Handoffs: 90 * 24 * time.Hour, Tickets: 365 * 24 * time.Hour,
		Contacts: 30 * 24 * time.Hour, AccessLog: 400 * 24 * time.Hour, Notifications: 30 * 24 * time.Hour,
		Timers: 7 * 24 * time.Hour, Outbox: 7 * 24 * time.Hour}
	got, err := db.Prune(ctx, now, r)
	if err != nil {
		t.Fatalf("Prune: %v", err)
	}
	want := map[string]int{"turns": 1, "handoffs": 1, "tickets": 1, "contacts": 1, "handoff_intake": 1, "notifications": 2, "timers": 1, "outbox": 1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows deleted per table (-want +got):\n%s", diff)
	}
	for _, c := range []struct {
		table, ids string
		want       int
	}{
		{"turns", "id = 't-new'", 1},
		{"handoffs", "id IN ('h-open', 'h-new')", 2},
		{"handoff_deliveries", "1", 1},
		{"tickets", "id = 'k-busy'", 1},
		{"contacts", "id = 'c-new'", 1},
		{"handoff_intake", "handoff_id = 'h-new'", 1},
		{"notifications", "id = 'n-wait'", 1},
		{"timers", "kind IN ('reopen', 'idle')", 2},
		{"outbox", "id = 'o-unpub'", 1},
	} {
		if n := countRows(t, db, c.table, "1"); n != c.want {
			t.Errorf("%s: got %d rows left, want %d", c.table, n, c.want)
		}
		if n := countRows(t, db, c.table, c.ids); n != c.want {
			t.Errorf("%s: got %d of the kept rows (%s), want %d", c.table, n, c.ids, c.want)
		}
	}
	// A second run finds nothing more.
	again, err := db.Prune(ctx, now, r)
	if err != nil || len(again) != 0 {
		t.Errorf("second Prune: got %v, %v; want nothing deleted", again, err)
	}
}

func TestPruneChunksThroughTheWriter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	now := time.Now()
	old := now.Add(-200 * 24 * time.Hour).UnixMilli()
	stmts := []string{fmt.Sprintf(`INSERT INTO users(key, first_seen, last_seen) VALUES ('u1', %d, %d)`, old, old)}
	const rows = 1234
	for i := 0; i < rows; i++ {
		stmts = append(stmts, fmt.Sprintf(`INSERT INTO turns(id, user_key, at) VALUES ('t%05d', 'u1', %d)`, i, old+int64(i)))
	}
	execAll(t, db, stmts...)
	before := db.Stats().Requests
	got, err := db.Prune(ctx, now, Retention{Turns: 90 * 24 * time.Hour})
	if err != nil {
		t.Fatalf("Prune: %v", err)
	}
	if got["turns"] != rows {
		t.Errorf("turns deleted: got %d, want %d", got["turns"], rows)
	}
	// 1234 rows at ≤ 500 per write: three writes.
	if writes := db.Stats().Requests - before; writes != 3 {
		t.Errorf("writes: got %d, want 3 (chunks of at most %d rows)", writes, pruneChunk)
	}
	if n := countRows(t, db, "turns", "1"); n != 0 {
		t.Errorf("turns left: got %d, want 0", n)
	}
}

func TestPruneAccessLog(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	now := time.Now()
	r := Retention{AccessLog: 400 * 24 * time.Hour}
	if got, err := db.Prune(ctx, now, r); err != nil || len(got) != 0 {
		t.Fatalf("Prune of an empty access_log: got %v, %v; want nothing and no error", got, err)
	}
	old, fresh := now.Add(-500*24*time.Hour).UnixMilli(), now.Add(-time.Hour).UnixMilli()
	execAll(t, db, fmt.Sprintf(`INSERT INTO access_log(token_id, role, action, at) VALUES
		('a', 'master', 'read_conversation', %d), ('b', 'master', 'read_conversation', %d)`, old, fresh))
	got, err := db.Prune(ctx, now, r)
	if err != nil || got["access_log"] != 1 {
		t.Fatalf("Prune: got %v, %v; want access_log: 1", got, err)
	}
	if n := countRows(t, db, "access_log", "token_id = 'b'"); n != 1 {
		t.Errorf("fresh access_log row: got %d, want 1", n)
	}
}

func TestPruneStopsOnCancelledContext(t *testing.T) {
	t.Parallel()
	db, _ := openTestDB(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := db.Prune(ctx, time.Now(), Retention{Turns: time.Hour}); err == nil {
		t.Errorf("Prune with a cancelled context: got nil error, want one")
	}
}

func TestPruneInactiveUsers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	now := time.Now()
	old := now.Add(-400 * 24 * time.Hour)
	// u-old went quiet long ago with nothing open: it goes, conversation and
	// all, also from the conversation cache (Commit put it there).
	for _, k := range []string{"u-old", "u-open", "u-timer", "u-ticket", "u-closed"} {
		if err := db.Commit(ctx, testTurn(k, 0, old)); err != nil {
			t.Fatalf("Commit %s: %v", k, err)
		}
	}
	if err := db.Commit(ctx, testTurn("u-new", 0, now)); err != nil {
		t.Fatal(err)
	}
	o, d := old.UnixMilli(), now.Add(time.Hour).UnixMilli()
	execAll(t, db,
		fmt.Sprintf(`INSERT INTO handoffs(id, code, user_key, created_at) VALUES ('h-open', 'A', 'u-open', %d)`, o),
		fmt.Sprintf(`INSERT INTO timers(kind, id, user_key, due_at, created_at) VALUES ('reopen', 'u-timer', 'u-timer', %d, %d)`, d, o),
		fmt.Sprintf(`INSERT INTO tickets(id, user_key, reason, status, created_at, updated_at) VALUES ('k1', 'u-ticket', 'no_sink', 'open', %d, %d)`, o, now.UnixMilli()),
		fmt.Sprintf(`INSERT INTO tickets(id, user_key, reason, status, created_at, updated_at) VALUES ('k2', 'u-closed', 'no_sink', 'closed', %d, %d)`, o, now.UnixMilli()),
	)
	got, err := db.Prune(ctx, now, Retention{Users: 365 * 24 * time.Hour})
	if err != nil {
		t.Fatalf("Prune: %v", err)
	}
	if got["users"] != 2 {
		t.Errorf("users deleted: got %v, want 2 (u-old and u-closed)", got)
	}
	for _, c := range []struct {
		key  string
		kept bool
	}{{"u-old", false}, {"u-closed", false}, {"u-open", true}, {"u-timer", true}, {"u-ticket", true}, {"u-new", true}} {
		_, _, found, err := db.Load(ctx, c.key)
		if err != nil || found != c.kept {
			t.Errorf("Load(%s): found %v, %v; want %v", c.key, found, err, c.kept)
		}
		if n := countRows(t, db, "turns", "user_key = '"+c.key+"'"); (n > 0) != c.kept {
			t.Errorf("%s: %d turns left, want kept=%v", c.key, n, c.kept)
		}
	}
	// The ticket of the deleted user went with it (ON DELETE CASCADE).
	if n := countRows(t, db, "tickets", "id = 'k2'"); n != 0 {
		t.Errorf("closed ticket of a deleted user: %d rows, want 0", n)
	}
}

// TestPruneTurnsAfterAClockStep: turns has no index by time (migration
// 00025); retention reads the turns in rowid order up to the first one that
// has not expired. An expired turn stored after a younger one (the wall clock
// stepped back) stays until that younger one expires too; no turn that has
// not expired is ever deleted.
func TestPruneTurnsAfterAClockStep(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	now := time.Date(2026, 11, 22, 6, 0, 0, 0, time.UTC)
	keep := 90 * 24 * time.Hour
	cutoff := now.Add(-keep).UnixMilli()
	hour := int64(time.Hour / time.Millisecond)
	execAll(t, db, fmt.Sprintf(`INSERT INTO users(key, first_seen, last_seen) VALUES ('u1', %d, %d)`, cutoff, cutoff),
		// In rowid order: two expired, a young one, an expired one stored
		// after it (the clock went back 2 h), then two young ones (e taken at
		// the cutoff itself).
		fmt.Sprintf(`INSERT INTO turns(id, user_key, at) VALUES ('a', 'u1', %d), ('b', 'u1', %d), ('c', 'u1', %d),
			('d', 'u1', %d), ('e', 'u1', %d), ('f', 'u1', %d)`,
			cutoff-3*hour, cutoff-2*hour, cutoff+hour, cutoff-hour, cutoff, cutoff+2*hour))
	got, err := db.Prune(ctx, now, Retention{Turns: keep})
	if err != nil {
		t.Fatalf("Prune: %v", err)
	}
	if got["turns"] != 2 || countRows(t, db, "turns", "id IN ('c', 'd', 'e', 'f')") != 4 || countRows(t, db, "turns", "1") != 4 {
		t.Errorf("first prune: deleted %v; want a and b gone, c, d (below the first young turn c only later), e, f kept", got)
	}
	// Two hours later c has expired: d goes with it; e (expired 2 h ago)
	// too, f (expired just now) stays as the first turn not expired.
	got, err = db.Prune(ctx, now.Add(2*time.Hour), Retention{Turns: keep})
	if err != nil {
		t.Fatalf("second Prune: %v", err)
	}
	if got["turns"] != 3 || countRows(t, db, "turns", "id = 'f'") != 1 || countRows(t, db, "turns", "1") != 1 {
		t.Errorf("second prune: deleted %v; want c, d, e gone and f kept", got)
	}
}
