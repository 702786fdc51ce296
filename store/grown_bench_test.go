package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// BenchmarkCommitGrown commits the turns of BenchmarkCommitSessions to an
// empty store and to one grown to grownTurns turns of grownUsers users, in
// one process, so that what a soak's later minutes pay for the tables'
// size shows without the machine's drift between runs: the writer's time
// per write (apply) and per COMMIT, and the process CPU per turn.
func BenchmarkCommitGrown(b *testing.B) {
	// A benchmark with sub-benchmarks runs once: its temp dir holds the
	// grown store, made on first use, for each run of the grown one.
	dir, template := b.TempDir(), ""
	for _, tc := range []struct {
		name  string
		grown bool
	}{{"empty", false}, {"grown", true}} {
		b.Run(tc.name, func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "data", "baton.db")
			if tc.grown {
				if template == "" {
					template = filepath.Join(dir, "grown.db")
					if err := growStore(template); err != nil {
						b.Fatalf("grow the store: %v", err)
					}
				}
				if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
					b.Fatal(err)
				}
				copyFile(b, template, path)
			}
			db, err := Open(context.Background(), path, Options{})
			if err != nil {
				b.Fatalf("Open: %v", err)
			}
			defer func() {
				if err := db.Close(); err != nil {
					b.Errorf("Close: %v", err)
				}
			}()
			commitSessions(b, db, randomKey)
		})
	}
}

const grownUsers, grownTurns = 100_000, 500_000

// growStore makes a store at path with one real turn committed through
// Commit, then copies its users, conversations and turns rows in SQL to
// grownUsers users and grownTurns turns dated a day earlier (turn ids sort
// before any ULID of today's turns).
func growStore(path string) error {
	ctx := context.Background()
	db, err := Open(ctx, path, Options{})
	if err != nil {
		return err
	}
	day := time.Now().Add(-24 * time.Hour)
	if err := db.Commit(ctx, testTurn("grown-template", 0, day)); err != nil {
		db.Close()
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	raw, err := sql.Open("sqlite3", "file:"+path+"?_synchronous=OFF&_foreign_keys=off")
	if err != nil {
		return err
	}
	defer raw.Close()
	// Keys are random hex, as Kakao's (and the bench's) are: new users'
	// rows land on random index pages, not after the grown ones.
	series := func(n int) string {
		return fmt.Sprintf("(WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM s WHERE n < %d) SELECT n FROM s)", n)
	}
	stmts := []string{
		copyRows(raw, "users", series(grownUsers),
			map[string]string{"key": "lower(hex(randomblob(32)))", "plusfriend_key": "lower(hex(randomblob(6)))", "app_user_id": "lower(hex(randomblob(8)))"}),
		copyRows(raw, "conversations", "(SELECT rowid AS n, key AS k FROM users WHERE key <> 'grown-template')",
			map[string]string{"user_key": "k"}),
		copyRows(raw, "turns", fmt.Sprintf("(SELECT n, (SELECT key FROM users WHERE rowid = 2 + n %% %d) AS k FROM %s)", grownUsers, series(grownTurns)),
			map[string]string{"id": "printf('00000000000000%012d', n)", "user_key": "k", "at": "at - n"}),
	}
	tx, err := raw.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	for _, s := range stmts {
		if _, err := tx.Exec(s); err != nil {
			tx.Rollback()
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return tx.Commit()
}

// copyRows is an INSERT copying table's one row once per row of source (a
// subquery with a column n, and k where set uses it), the columns named in
// set given by SQL expressions of those.
func copyRows(raw *sql.DB, table, source string, set map[string]string) string {
	rows, err := raw.Query("SELECT name FROM pragma_table_info(?)", table)
	if err != nil {
		return "SELECT error"
	}
	defer rows.Close()
	var cols, exprs []string
	for rows.Next() {
		var c string
		rows.Scan(&c)
		cols = append(cols, `"`+c+`"`)
		if e, ok := set[c]; ok {
			exprs = append(exprs, e)
		} else {
			exprs = append(exprs, `t."`+c+`"`)
		}
	}
	return fmt.Sprintf(`INSERT INTO %s (%s) SELECT %s FROM %s src, (SELECT * FROM %s LIMIT 1) t`,
		table, strings.Join(cols, ", "), strings.Join(exprs, ", "), source, table)
}

// randomKey is a new user's key as Kakao's look: 64 random hex digits.
func randomKey(r *rand.Rand, _ int) string {
	return fmt.Sprintf("%016x%016x%016x%016x", r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64())
}
