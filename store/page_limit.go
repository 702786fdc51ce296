package store

import (
	"context"
	"fmt"
)

// SetPageLimit sets SQLite's max_page_count on the writer connection: the
// database file may then hold at most pages pages (SQLite never sets it
// below the file's current size), and a write that needs a new page fails
// with SQLITE_FULL ("database or disk is full") exactly as it does when the
// file system is full. It returns the limit in force. It exists for
// fault-injection tests and disk-full drills (docs/ops.md); raising the limit
// again is what freeing disk space does. It returns an error if the pragma
// fails or ctx ends first.
// After Close it returns an error wrapping ErrClosed.
func (db *DB) SetPageLimit(ctx context.Context, pages int64) (int64, error) {
	if db.writer.isClosed() {
		return 0, fmt.Errorf("store: set page limit %d: %w", pages, ErrClosed)
	}
	var got int64
	// The writer pool has one connection: this waits for the batch that
	// holds it, and the next batch waits for this.
	if err := db.w.QueryRowContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", pages)).Scan(&got); err != nil {
		return 0, fmt.Errorf("store: set page limit %d: %w", pages, err)
	}
	return got, nil
}
