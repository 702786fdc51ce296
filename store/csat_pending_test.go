package store

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pressly/goose/v3"

	"github.com/baton-chat/baton/fsm"
)

// pendingOf is the part of a conversation the CSAT marker used to share.
type pendingOf struct {
	CSAT    string
	Clarify []string
}

func pendingIn(c fsm.Conversation) pendingOf {
	return pendingOf{CSAT: c.CSATPending, Clarify: c.Clarify}
}

// loadPending loads key from db and returns its pending CSAT and clarify.
func loadPending(t *testing.T, db *DB, key string) pendingOf {
	t.Helper()
	_, c, found, err := db.Load(context.Background(), key)
	if err != nil || !found {
		t.Fatalf("Load %s: found %v, %v", key, found, err)
	}
	return pendingIn(c)
}

// TestCSATPendingPersists: a pending CSAT question, beside a clarify list,
// survives the cache, the rows a turn writes at once (no cache), and the
// journal a crash leaves behind (replayed at open of the crash image).
func TestCSATPendingPersists(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"journal", Options{FlushAge: time.Hour}},
		{"rows", Options{CacheSize: -1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			db, path := openTestDB(t, tc.opts)
			at := time.Now()
			v := commitTurns(t, db, "u-csat", 0, 1, at)
			w := testTurn("u-csat", v, at.Add(time.Second))
			w.Conv.CSATPending, w.Conv.Clarify = fsm.CSATFromReply, []string{"ship-fee", "ship-track"}
			if err := db.Commit(ctx, w); err != nil {
				t.Fatalf("Commit: %v", err)
			}
			want := pendingIn(w.Conv)
			if got := loadPending(t, db, "u-csat"); !cmp.Equal(got, want) {
				t.Errorf("Load: got %+v, want %+v", got, want)
			}
			journal := countRows(t, db, "conv_journal", "user_key = 'u-csat'")
			if tc.name == "journal" && journal == 0 {
				t.Fatal("no journal rows: the crash image would not test the replay")
			}

			// The files as a crash leaves them: the WAL holds the
			// acknowledged commits, the journal rows are not applied.
			crash := filepath.Join(t.TempDir(), "baton.db")
			for _, suffix := range []string{"", "-wal"} {
				copyFile(t, path+suffix, crash+suffix)
			}
			db2, err := Open(ctx, crash, Options{CacheSize: -1})
			if err != nil {
				t.Fatalf("Open the crash image: %v", err)
			}
			defer db2.Close()
			if n := countRows(t, db2, "conv_journal", "1"); n != 0 {
				t.Errorf("journal rows after the replay: got %d, want 0", n)
			}
			if got := loadPending(t, db2, "u-csat"); !cmp.Equal(got, want) {
				t.Errorf("Load after the crash (%d journal rows replayed): got %+v, want %+v", journal, got, want)
			}

			// The next turn answers the question: the column clears.
			w = testTurn("u-csat", w.Conv.Version, at.Add(2*time.Second))
			if err := db.Commit(ctx, w); err != nil {
				t.Fatalf("Commit: %v", err)
			}
			if err := db.Flush(ctx); err != nil {
				t.Fatal(err)
			}
			var stored string
			if err := db.ReadDB().QueryRow(`SELECT csat_pending FROM conversations WHERE user_key = 'u-csat'`).Scan(&stored); err != nil || stored != "" {
				t.Errorf("csat_pending after the next turn: got %q, %v; want \"\"", stored, err)
			}
		})
	}
}

// TestMigrationMovesTheCSATMarker: a database at migration 00019 with
// conversations whose clarify list holds the marker the previous code
// wrote ("csat:reply", as its only entry), in a row and in a journal row
// a crash left, opens with the marker in csat_pending and the clarify
// list empty; real clarify lists are left alone.
func TestMigrationMovesTheCSATMarker(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "baton.db")
	old, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on&_journal_mode=WAL")
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	old.SetMaxOpenConns(1)
	p, err := goose.NewProvider(goose.DialectSQLite3, old, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 19); err != nil {
		t.Fatal(err)
	}
	rows := []struct{ key, clarify string }{
		{"u-marker", `["csat:reply"]`},
		{"u-clarify", `["ship-fee","ship-track"]`},
		{"u-two", `["csat:reply","ship-fee"]`}, // not the marker: it was only ever alone
		{"u-none", `[]`},
		{"u-journal", `[]`},
	}
	for _, r := range rows {
		if _, err := old.Exec(`INSERT INTO users (key, first_seen, last_seen) VALUES (?, 1, 1)`, r.key); err != nil {
			t.Fatalf("user row in a 00019 database: %v", err)
		}
		if _, err := old.Exec(`INSERT INTO conversations (user_key, state, clarify, config_version, version, updated_at)
			VALUES (?, 'bot', ?, 'cfg-1', 2, 1)`, r.key, r.clarify); err != nil {
			t.Fatalf("conversation row in a 00019 database: %v", err)
		}
	}
	// A journal row as the previous code wrote it (no "cp"), newer than
	// the row, and one with a real clarify list.
	for _, j := range []struct{ key, c string }{{"u-journal", `["csat:reply"]`}, {"u-clarify", `["ship-track","intl"]`}} {
		if _, err := old.Exec(`INSERT INTO conv_journal (user_key, version, conv) VALUES (?, 3, ?)`, j.key,
			`{"s":"bot","m":[],"f":0,"c":`+j.c+`,"h":"","q":"","ss":null,"lt":1763791200123,"w":1763791200123,`+
				`"cv":"cfg-1","u":1763791200123,"i":"","t":0}`); err != nil {
			t.Fatalf("journal row in a 00019 database: %v", err)
		}
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	db, err := Open(ctx, path, Options{CacheSize: -1})
	if err != nil {
		t.Fatalf("Open a 00019 database: %v", err)
	}
	defer db.Close()
	for key, want := range map[string]pendingOf{
		"u-marker":  {CSAT: fsm.CSATFromReply},
		"u-clarify": {Clarify: []string{"ship-track", "intl"}},
		"u-two":     {Clarify: []string{"csat:reply", "ship-fee"}},
		"u-none":    {},
		"u-journal": {CSAT: fsm.CSATFromReply},
	} {
		if got := loadPending(t, db, key); !cmp.Equal(got, want) {
			t.Errorf("%s after the upgrade: got %+v, want %+v", key, got, want)
		}
	}
}
