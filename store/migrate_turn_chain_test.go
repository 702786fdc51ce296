package store

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"testing"
	"time"

	"github.com/pressly/goose/v3"
)

// oldSchemaDB creates a database file migrated only up to version, as the baton
// of that version left it, and returns its path and a raw connection to
// write that version's rows with. Close the raw connection before Open.
func oldSchemaDB(t *testing.T, version int64) (string, *sql.DB) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "baton.db")
	raw, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	raw.SetMaxOpenConns(1)
	t.Cleanup(func() { raw.Close() })
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, raw, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, version); err != nil {
		t.Fatalf("migrate up to %d: %v", version, err)
	}
	return path, raw
}

func execRaw(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// TestMigrateTurnChainKeepsInsertionOrderAcrossClockStep: a database from
// before 00013 whose user took two turns with the wall clock stepping back
// between them (turn 2 stored after turn 1, but stamped earlier). 00013
// built the turns.prev chain and conversations.last_turn ordered by `at`,
// so the older-rowid turn 1 became the "latest" and its prev named turn 2's
// larger rowid — a link chainLinkSQL refuses to follow. The transcript
// (RecentTurns, the handoff's transcript and the admin's first page) then
// showed one turn of two, and every later turn chained onto turn 1, so
// turn 2 was never reachable again (nor deleted by the users prune, which
// follows the same chain). 00026 rebuilds such users' chains in rowid
// order, the order the turns were taken (DESIGN §7, recentTurnsSQL: "also
// when the wall clock stepped back"), as the writer builds them: both turns
// are returned.
func TestMigrateTurnChainKeepsInsertionOrderAcrossClockStep(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path, raw := oldSchemaDB(t, 12)
	execRaw(t, raw,
		`INSERT INTO users (key, first_seen, last_seen) VALUES ('u-1', 1000, 2000)`,
		`INSERT INTO conversations (user_key, state, version, updated_at) VALUES ('u-1', 'idle', 2, 2000)`,
		// Taken first, at 2000 (rowid 1) …
		`INSERT INTO turns (rowid, id, user_key, at, utterance, kind) VALUES (1, '01AAAAAAAAAAAAAAAAAAAAAAA1', 'u-1', 2000, 'first', 'faq')`,
		// … then the clock stepped back a second: taken second, stamped 1000 (rowid 2).
		`INSERT INTO turns (rowid, id, user_key, at, utterance, kind) VALUES (2, '01AAAAAAAAAAAAAAAAAAAAAAA2', 'u-1', 1000, 'second', 'faq')`,
	)
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("Open of a 00012 database: %v", err)
	}
	defer db.Close()
	got, err := db.RecentTurns(ctx, "u-1", time.UnixMilli(1<<50), 10)
	if err != nil {
		t.Fatal(err)
	}
	var utters []string
	for _, tr := range got {
		utters = append(utters, tr.Utterance)
	}
	if len(got) != 2 || got[0].Utterance != "first" || got[1].Utterance != "second" {
		t.Errorf("RecentTurns after upgrading a 00012 database = %q, want [first second] (both turns, in the order taken)", utters)
	}
}
