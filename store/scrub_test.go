package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// scrubNeedle is the text the deleted rows carry; scrubKept the text of rows
// that stay, to show the files were read where rows live.
const (
	scrubNeedle = "QZXV-erased-utterance-7c41"
	scrubKept   = "KPTW-kept-utterance-93d2"
)

// seedScrubRows fills turns with the rows of user "gone-5d1e" (old, and
// long enough that their deletion frees whole pages and overflow pages) and
// of user "kept-8a20" (recent), and waits until a checkpoint copied them into
// the database file. interleaved: the two users' rows alternate (as erasure
// meets them); otherwise the old rows come first, as turns are stored in the
// order they are taken (retention reads them so: retention.go findSQL).
func seedScrubRows(t *testing.T, db *DB, now time.Time, interleaved bool) {
	t.Helper()
	old, fresh := now.Add(-100*24*time.Hour).UnixMilli(), now.Add(-time.Hour).UnixMilli()
	long := strings.Repeat(scrubNeedle+" ", 400) // ≈ 11 KB: overflow pages
	stmts := []string{
		fmt.Sprintf(`INSERT INTO users(key, first_seen, last_seen) VALUES ('gone-5d1e', %d, %d), ('kept-8a20', %d, %d)`, old, old, fresh, fresh),
	}
	var kept []string
	for i := range 600 {
		stmts = append(stmts, fmt.Sprintf(`INSERT INTO turns(id, user_key, at, utterance) VALUES ('g-%d', 'gone-5d1e', %d, '%s %d')`,
			i, old, scrubNeedle, i))
		k := fmt.Sprintf(`INSERT INTO turns(id, user_key, at, utterance) VALUES ('k-%d', 'kept-8a20', %d, '%s %d')`, i, fresh, scrubKept, i)
		if interleaved {
			stmts = append(stmts, k)
		} else {
			kept = append(kept, k)
		}
	}
	stmts = append(stmts, fmt.Sprintf(`INSERT INTO turns(id, user_key, at, utterance) VALUES ('g-long', 'gone-5d1e', %d, '%s')`, old, long))
	stmts = append(stmts, kept...)
	execAll(t, db, stmts...)
	checkFor(t, 10*time.Second, 10*time.Millisecond, func() error {
		b, err := os.ReadFile(db.path)
		if err != nil {
			return err
		}
		if !bytes.Contains(b, []byte(scrubNeedle)) {
			return errors.New("seeded rows not yet checkpointed into the database file")
		}
		return nil
	})
}

// scrubbedFiles waits for the WAL truncation that follows deletes, then
// returns the database and WAL files' contents.
func scrubbedFiles(t *testing.T, db *DB) map[string][]byte {
	t.Helper()
	checkFor(t, 10*time.Second, 10*time.Millisecond, func() error {
		if got := db.walScrubs.Load(); got == 0 {
			return fmt.Errorf("WAL truncations after deletes: got %d, want 1", got)
		}
		return nil
	})
	files := map[string][]byte{}
	for _, p := range []string{db.path, db.path + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("read %s: %v", p, err)
		}
		files[p] = b
	}
	return files
}

func TestDeletedRowsLeaveNoTraceInFiles(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 22, 6, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name        string
		interleaved bool
		delete      func(ctx context.Context, db *DB) error
	}{
		{"erase user", true, func(ctx context.Context, db *DB) error {
			_, err := db.EraseUser(ctx, "gone-5d1e")
			return err
		}},
		{"retention", false, func(ctx context.Context, db *DB) error {
			_, err := db.Prune(ctx, now, Retention{Turns: 90 * 24 * time.Hour, Users: 90 * 24 * time.Hour})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			db, _ := openTestDB(t, Options{checkpointEvery: 100 * time.Millisecond}) // seedScrubRows waits for a checkpoint
			seedScrubRows(t, db, now, tc.interleaved)
			if err := tc.delete(ctx, db); err != nil {
				t.Fatalf("delete: %v", err)
			}
			if got := countRows(t, db, "turns", "user_key = 'gone-5d1e'"); got != 0 {
				t.Fatalf("turns of the deleted user: got %d, want 0", got)
			}
			files := scrubbedFiles(t, db)
			if !bytes.Contains(files[db.path], []byte(scrubKept)) {
				t.Errorf("database file: got no %q, want the kept rows in it", scrubKept)
			}
			for p, b := range files {
				for _, needle := range []string{scrubNeedle, "gone-5d1e"} {
					if n := bytes.Count(b, []byte(needle)); n > 0 {
						t.Errorf("%s: got %d copies of %q after the delete, want none", p, n, needle)
					}
				}
			}
		})
	}
}

func TestSecureDeletesRestoresFast(t *testing.T) {
	t.Parallel()
	db, _ := openTestDB(t, Options{})
	mode := func() int {
		t.Helper()
		var v int
		if err := db.Write(context.Background(), func(tx *sql.Tx) error {
			return tx.QueryRow("PRAGMA secure_delete").Scan(&v)
		}); err != nil {
			t.Fatalf("read secure_delete: %v", err)
		}
		return v
	}
	const fast = 2 // PRAGMA secure_delete answers 0 off, 1 on, 2 fast
	if got := mode(); got != fast {
		t.Fatalf("writer's secure_delete at open: got %d, want %d (FAST)", got, fast)
	}
	var during int
	failing := errors.New("deletes failed")
	err := db.Write(context.Background(), secureDeletes(context.Background(), func(tx *sql.Tx) error {
		if err := tx.QueryRow("PRAGMA secure_delete").Scan(&during); err != nil {
			return err
		}
		return failing
	}))
	if !errors.Is(err, failing) {
		t.Fatalf("Write: got %v, want the callback's error", err)
	}
	if during != 1 {
		t.Errorf("secure_delete inside secureDeletes: got %d, want 1 (ON)", during)
	}
	if got := mode(); got != fast {
		t.Errorf("secure_delete after a failed secureDeletes: got %d, want %d (FAST)", got, fast)
	}
}
