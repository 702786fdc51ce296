package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Deleted rows and the database files. SQLite only unlinks a deleted row:
// its bytes stay in the page (as free space in a b-tree page, or on a page
// moved to the freelist) until something overwrites them, and the WAL keeps
// every earlier version of a page until the file is overwritten or
// truncated. An erased user (EraseUser) or a record past its retention
// (Prune) must not stay readable in baton.db or baton.db-wal, so:
//
//   - Every connection of the writer's driver runs with
//     PRAGMA secure_delete = FAST: a delete zeroes the cell it removes from a
//     b-tree page, which the delete writes anyway — CPU (a memset per cell),
//     no extra I/O. The hot path (conv_journal rows deleted on every flush,
//     turns and outbox rows) keeps its page writes unchanged.
//   - EraseUser and Prune's deletes run with secure_delete = ON
//     (secureDeletes): pages those deletes free, and overflow pages, are
//     zeroed before they join the freelist. That writes one extra WAL frame
//     per freed page, paid only by erasures and retention chunks — never by
//     a turn, which is why ON is not the global setting: conv_journal pages
//     are freed many times a second under load.
//   - After an erasure, or a Prune that deleted something, the checkpointer
//     copies the WAL into the database and truncates the WAL to zero bytes
//     (PRAGMA wal_checkpoint(TRUNCATE), scrubWAL), within about a second,
//     retrying every checkpointInterval while readers or the writer keep it
//     busy: the old frames that still held the deleted rows are gone from
//     the file.
//
// What this does not cover (docs/ops.md "Erasing a user"): copies a b-tree
// rebalance left on pages freed before the erasure under FAST (freed pages
// are only zeroed under ON) stay until SQLite reuses those pages; earlier
// backups (VACUUM INTO) keep what they held; and blocks the file system
// released are outside SQLite's reach.

// secureDeletes wraps fn, a Write callback, so that it runs with PRAGMA
// secure_delete = ON on the writer's connection and sets it back to FAST
// afterwards, also when fn fails. The setting belongs to the connection, not
// the transaction: other requests of the same group-commit batch run before
// or after with FAST. The callback returns fn's error, or the error of
// either PRAGMA, wrapped.
func secureDeletes(ctx context.Context, fn func(tx *sql.Tx) error) func(tx *sql.Tx) error {
	return func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "PRAGMA secure_delete = ON"); err != nil {
			return fmt.Errorf("secure_delete on: %w", err)
		}
		err := fn(tx)
		// The context may be done by now; the setting must go back regardless.
		if _, rerr := tx.ExecContext(context.WithoutCancel(ctx), "PRAGMA secure_delete = FAST"); rerr != nil {
			err = errors.Join(err, fmt.Errorf("secure_delete fast: %w", rerr))
		}
		return err
	}
}

// scrubSoon asks the checkpointer to truncate the WAL at its next chance
// (scrubWAL); it never blocks.
func (db *DB) scrubSoon() {
	db.scrubPending.Store(true)
	select {
	case db.scrub <- struct{}{}:
	default:
	}
}

// scrubBusyTimeout bounds how long the TRUNCATE checkpoint waits for
// readers: while it waits it holds the write lock, so the writer's next
// batch waits too, and must not wait anywhere near its own busy timeout.
const scrubBusyTimeout = 100 * time.Millisecond

// scrubWAL runs a scrub the store asked for (scrubSoon), if any: a PASSIVE
// checkpoint copies what it can without blocking anybody, then a TRUNCATE
// checkpoint waits at most scrubBusyTimeout for the writer's batch and the
// readers still in the WAL, copies the rest and truncates the WAL file.
// When they keep it busy, the request stays pending and the checkpointer
// tries again on its next tick: a long read such as the nightly backup
// delays the scrub, and holds the writer up to scrubBusyTimeout per try.
// It returns the checkpoints' error, which the caller logs within bounds
// (checkpoint_health.go); a failed scrub stays pending too.
func (db *DB) scrubWAL() error {
	if db.writer.sync.failed() != nil {
		return nil // the WAL must not start over (checkpoint); stays pending
	}
	if !db.scrubPending.Swap(false) {
		return nil
	}
	done, err := db.truncateWAL()
	if !done {
		db.scrubPending.Store(true)
		return err
	}
	db.walScrubs.Add(1)
	db.log.Debug("store: WAL truncated after deletes")
	return err
}

// truncateWAL runs scrubWAL's checkpoints on the checkpointer's connection
// and reports whether the WAL was truncated.
func (db *DB) truncateWAL() (bool, error) {
	ctx := context.Background()
	conn, err := db.ckpt.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	var busy, frames, copied int64
	if err := conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied); err != nil {
		return false, fmt.Errorf("passive checkpoint: %w", err)
	}
	// As before a RESTART (dbsync.go): flush the pages the passes copied,
	// so the TRUNCATE, which holds the write lock, syncs only the rest.
	if err := db.syncDBFile(); err != nil {
		return false, err
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", scrubBusyTimeout.Milliseconds())); err != nil {
		return false, fmt.Errorf("busy timeout: %w", err)
	}
	cerr := conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &frames, &copied)
	// Back to the DSN's _busy_timeout for the background checkpoints.
	if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = 1000"); err != nil {
		return false, errors.Join(cerr, fmt.Errorf("busy timeout: %w", err))
	}
	if cerr != nil {
		return false, fmt.Errorf("truncate checkpoint: %w", cerr)
	}
	return busy == 0, nil
}
