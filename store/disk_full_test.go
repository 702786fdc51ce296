package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/testlog"
)

// TestCheckWritesSeesAFullDisk caps the database file at its size with
// SetPageLimit (SQLite's max_page_count: SQLITE_FULL as on a full disk) and
// commits turns until one fails: CheckWrites must then report
// ErrWritesFailing naming the disk full (its probe needs new pages, so a
// page freed by a delete does not make the store look ready), and nil once
// the limit is raised again, after which turns commit.
func TestCheckWritesSeesAFullDisk(t *testing.T) {
	t.Parallel()
	db, _ := openTestDB(t, Options{})
	ctx := context.Background()
	now := time.Now()
	if _, err := db.SetPageLimit(ctx, 1); err != nil {
		t.Fatal(err)
	}
	var err error
	for i := 0; i < 1000 && err == nil; i++ {
		err = db.Commit(ctx, testTurn(fmt.Sprintf("u-full-%d", i), 0, now))
	}
	if got := Cause(err); got != CauseDiskFull {
		t.Fatalf("Cause of the failed commit %v: got %q, want %q", err, got, CauseDiskFull)
	}
	err = db.CheckWrites(ctx)
	if !errors.Is(err, ErrWritesFailing) || !strings.Contains(err.Error(), CauseDiskFull) {
		t.Errorf("CheckWrites on a full database: got %v, want ErrWritesFailing naming %q", err, CauseDiskFull)
	}
	if err := db.CheckWrites(ctx); !errors.Is(err, ErrWritesFailing) {
		t.Errorf("CheckWrites again (its own probe batch committed): got %v, want ErrWritesFailing", err)
	}
	// A small write still fits (a delivery record, an outbox mark: here one
	// that changes nothing) while every turn fails: the store is not ready.
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec("UPDATE users SET is_friend = is_friend WHERE 0")
		return err
	}); err != nil {
		t.Fatalf("a write that needs no new page: %v", err)
	}
	if err := db.CheckWrites(ctx); !errors.Is(err, ErrWritesFailing) {
		t.Errorf("CheckWrites after a small write committed: got %v, want ErrWritesFailing", err)
	}
	if _, err := db.SetPageLimit(ctx, 1<<30); err != nil {
		t.Fatal(err)
	}
	if err := db.CheckWrites(ctx); err != nil {
		t.Errorf("CheckWrites after the limit was raised: got %v, want nil", err)
	}
	if err := db.Commit(ctx, testTurn("u-full-after", 0, now)); err != nil {
		t.Errorf("Commit after the limit was raised: got %v, want nil", err)
	}
}

// TestOpenCorruptedDatabase opens a database file that is not one (its
// header overwritten) and one cut short: Open must fail with ErrCorrupt,
// naming the file and the recovery steps in docs/ops.md.
func TestOpenCorruptedDatabase(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		corrupt func(t *testing.T, path string)
	}{
		{"header overwritten", func(t *testing.T, path string) {
			f, err := os.OpenFile(path, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := f.WriteAt([]byte(strings.Repeat("not a database ", 8)), 0); err != nil {
				t.Fatal(err)
			}
		}},
		{"truncated", func(t *testing.T, path string) {
			if err := os.Truncate(path, 5000); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "baton.db")
			db, err := Open(context.Background(), path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for i := range 50 { // more pages than the first few
				if err := db.Commit(context.Background(), testTurn(fmt.Sprintf("u-%d", i), 0, time.Now())); err != nil {
					t.Fatal(err)
				}
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			tc.corrupt(t, path)
			db, err = Open(context.Background(), path, Options{})
			if err == nil {
				_ = db.Close()
				t.Fatal("Open of a corrupted database: got nil, want an error")
			}
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "docs/ops.md") {
				t.Errorf("Open of a corrupted database: got %v, want ErrCorrupt naming %s and docs/ops.md", err, path)
			}
		})
	}
}

// TestOpenNotWritable makes the data directory, then the database file,
// read-only: Open must fail at once with ErrNotWritable naming the path at
// fault. (root ignores file modes: skipped as root.)
func TestOpenNotWritable(t *testing.T) {
	t.Parallel()
	if os.Geteuid() == 0 {
		t.Skip("root ignores file modes")
	}
	for _, tc := range []struct {
		name   string
		target func(dir, path string) string // what is made read-only
		mode   os.FileMode
		named  string // how the error names it, after the path
	}{
		{"directory", func(dir, _ string) string { return dir }, 0o500, " (SQLite creates"},
		{"database file", func(_, path string) string { return path }, 0o400, ":"},
		{"wal file", func(_, path string) string { return path + "-wal" }, 0o400, ":"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "baton.db")
			db, err := Open(context.Background(), path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path+"-wal", nil, 0o600); err != nil { // as a crash leaves it
				t.Fatal(err)
			}
			target := tc.target(dir, path)
			if err := os.Chmod(target, tc.mode); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = os.Chmod(target, 0o700) })
			db, err = Open(context.Background(), path, Options{})
			if err == nil {
				_ = db.Close()
				t.Fatalf("Open with %s read-only: got nil, want an error", target)
			}
			if !errors.Is(err, ErrNotWritable) || !strings.Contains(err.Error(), target+tc.named) {
				t.Errorf("Open with %s read-only: got %v, want ErrNotWritable naming it", target, err)
			}
		})
	}
}

// TestCheckWritesProbeAmidTurns runs CheckWrites' probe (a table created and
// rolled back inside the batch) while turns commit in the same batches: the
// turns must all commit and the probe must succeed. A probe whose caller
// gave up must not be taken for a failed write (no store error logged).
func TestCheckWritesProbeAmidTurns(t *testing.T) {
	t.Parallel()
	var logs testlog.Buffer
	db, _ := openTestDB(t, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	ctx := context.Background()
	failed := errors.New("an earlier batch failed")
	done := make(chan error, 1)
	go func() {
		for i := range 200 {
			if err := db.Commit(ctx, testTurn(fmt.Sprintf("u-probe-%d", i%20), int64(i/20), time.Now())); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for range 50 {
		db.writer.lastFail.Store(&failed) // makes CheckWrites probe
		if err := db.CheckWrites(ctx); err != nil {
			t.Fatalf("CheckWrites amid turns: got %v, want nil", err)
		}
	}
	if err := <-done; err != nil {
		t.Fatalf("Commit amid probes: got %v, want nil", err)
	}
	for range 20 {
		db.writer.lastFail.Store(&failed)
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		_ = db.CheckWrites(cancelled) // may or may not reach the writer
		if err := db.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if strings.Contains(logs.String(), "group commit failed") {
		t.Errorf("cancelled probes logged a store failure:\n%s", logs.String())
	}
}
